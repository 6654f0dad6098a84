import { manifestNames, skippedFolders } from '../../ecosystems/index.js';
import type { Evidence, Finding } from '../../kernel/index.js';
import { failed, findingOf, notApplicable, passed } from '../results.js';
import type { Check } from '../types.js';
import type { LockfileIntegrity, LockfilesFacts, ManifestLock } from './collect.js';

/** Evidence entries listed one by one; beyond this a note says how many more were seen. */
const maxEvidence = 50;
/** Unpinned lines reported per manifest; beyond this one finding says how many more. */
const maxLineFindings = 20;

export const lockfilesPresent: Check<LockfilesFacts> = {
  id: 'lockfiles/present',
  title: 'Every dependency manifest has its versions locked',
  severity: 'medium',
  remediation:
    'Commit the lockfile your package manager writes (package-lock.json, poetry.lock, Cargo.lock, go.sum, …) beside each manifest, or pin every version exactly where the ecosystem has no lockfile.',
  evaluate(facts) {
    if (facts.manifests.length === 0) {
      return notApplicable(this.id, 'no dependency manifest in the repository', [
        {
          kind: 'absence',
          lookedFor: [...manifestNames],
          in: skippedFolders,
        },
      ]);
    }
    const integrity = new Map(facts.integrity.map((entry) => [entry.lockfile, entry]));
    const evidence = facts.manifests
      .slice(0, maxEvidence)
      .map((manifest) => evidenceFor(manifest, integrity));
    if (facts.manifests.length > maxEvidence) {
      evidence.push({
        kind: 'file',
        path: facts.manifests[maxEvidence]?.manifest ?? '',
        note: `and ${facts.manifests.length - maxEvidence} more manifests`,
      });
    }
    const unlocked = facts.manifests.filter((manifest) => manifest.state === 'missing');
    const counts = `${facts.manifests.length} manifest(s)`;
    if (unlocked.length === 0) return passed(this.id, `${counts}, all locked or pinned`, evidence);
    const findings = unlocked.flatMap((manifest) => findingsFor(this, manifest));
    return failed(
      this.id,
      `${counts}, ${unlocked.length} without a lockfile or pinned versions`,
      evidence,
      findings,
    );
  },
};

function evidenceFor(manifest: ManifestLock, integrity: ReadonlyMap<string, LockfileIntegrity>): Evidence {
  switch (manifest.state) {
    case 'locked': {
      const notes = [`locks ${manifest.manifest}`];
      const counted = integrity.get(manifest.lockfile);
      if (counted) notes.push(describeIntegrity(counted));
      return { kind: 'file', path: manifest.lockfile, note: notes.join('; ') };
    }
    case 'pinned':
    case 'not-needed':
      return { kind: 'file', path: manifest.manifest, note: manifest.reason };
    case 'missing':
      return { kind: 'file', path: manifest.manifest, note: manifest.reason };
  }
}

function describeIntegrity(counted: LockfileIntegrity): string {
  if (!counted.readable) return 'integrity not counted (lockfile too large or malformed)';
  return `${counted.entries} entries, ${counted.withoutIntegrity} without integrity`;
}

function findingsFor(check: Check<LockfilesFacts>, manifest: ManifestLock): Finding[] {
  if (manifest.state !== 'missing') return [];
  if (manifest.unpinned.length === 0) {
    return [
      findingOf(check, `${manifest.manifest} (${manifest.ecosystem}): ${manifest.reason}.`, {
        location: { path: manifest.manifest },
        key: 'no-lockfile',
      }),
    ];
  }
  const findings = manifest.unpinned.slice(0, maxLineFindings).map((line) =>
    findingOf(check, `${manifest.manifest}:${line.line} ${line.reason}: ${line.text}`, {
      location: { path: manifest.manifest, line: line.line },
      key: line.text,
    }),
  );
  const more = manifest.unpinned.length - maxLineFindings;
  if (more > 0) {
    findings.push(
      findingOf(check, `${manifest.manifest}: ${more} more line(s) without an exact version.`, {
        location: { path: manifest.manifest },
        key: 'more-unpinned-lines',
      }),
    );
  }
  return findings;
}
