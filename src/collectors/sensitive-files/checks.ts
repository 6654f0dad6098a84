import type { Evidence } from '../../kernel/index.js';
import { failed, findingOf, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import { type ProbeResult, type SensitiveFilesFacts, sensitiveNamePatterns } from './collect.js';

const runInClone = 'Run shipguard in a git clone of the repository; ignore rules and tracked files need git.';

/** Only ignore files that travel with the repository count; global excludes and .git/info/exclude do not. */
export function isRepositoryRule(match: NonNullable<ProbeResult['match']>): boolean {
  const source = match.source;
  if (source.startsWith('/') || source.startsWith('.git/') || /^[A-Za-z]:/.test(source)) return false;
  return (source === '.gitignore' || source.endsWith('/.gitignore')) && !match.pattern.startsWith('!');
}

export const sensitiveFilesIgnored: Check<SensitiveFilesFacts> = {
  id: 'sensitive-files/ignored',
  title: 'Environment and key files are ignored by git',
  severity: 'medium',
  remediation:
    'Add ignore rules to the root .gitignore for .env, .env.* (re-include .env.example), *.pem, *.key, id_rsa*, id_ed25519*, *.p12 and *.pfx.',
  evaluate(facts) {
    if (!facts.isGitRepository || !facts.probes) {
      return unknown(this.id, 'not a git repository, so there are no ignore rules to test', runInClone);
    }
    const ignored = facts.probes.filter((probe) => probe.match && isRepositoryRule(probe.match));
    const evidence = ruleEvidence(ignored);
    const missing = facts.probes.filter((probe) => !ignored.includes(probe));
    if (missing.length === 0) {
      return passed(
        this.id,
        `all ${facts.probes.length} probe names are ignored by the repository's .gitignore`,
        evidence,
      );
    }
    const onlyLocal = missing.filter((probe) => probe.match && !probe.match.pattern.startsWith('!'));
    const names = missing.map((probe) => probe.probe);
    const note =
      onlyLocal.length > 0
        ? `ignored only by local git settings that other clones do not share: ${onlyLocal.map((probe) => probe.probe).join(', ')}`
        : undefined;
    evidence.push({
      kind: 'absence',
      lookedFor: names,
      in: '.gitignore files of the repository (git check-ignore --no-index)',
      ...(note ? { note } : {}),
    });
    return failed(
      this.id,
      `${missing.length} of ${facts.probes.length} probe names are not ignored: ${names.join(', ')}`,
      evidence,
      [
        findingOf(this, `git would let these credential file names be committed: ${names.join(', ')}.`, {
          location: { path: '.gitignore' },
          key: 'probes-not-ignored',
        }),
      ],
    );
  },
};

/** One piece of evidence per ignore rule, naming the probes it covers. */
function ruleEvidence(probes: readonly ProbeResult[]): Evidence[] {
  const byRule = new Map<string, { source: string; line: number; pattern: string; probes: string[] }>();
  for (const probe of probes) {
    if (!probe.match) continue;
    const key = `${probe.match.source}:${probe.match.line}`;
    const entry = byRule.get(key) ?? { ...probe.match, probes: [] };
    entry.probes.push(probe.probe);
    byRule.set(key, entry);
  }
  return [...byRule.values()].map((rule) => ({
    kind: 'file',
    path: rule.source,
    line: rule.line,
    note: `${rule.pattern} ignores ${rule.probes.join(', ')}`,
  }));
}

export const sensitiveFilesNotCommitted: Check<SensitiveFilesFacts> = {
  id: 'sensitive-files/not-committed',
  title: 'No files that usually hold credentials are committed',
  severity: 'high',
  remediation:
    'Remove the file from git (git rm --cached), add it to .gitignore, and rotate any credential it held: it stays in history. If it is a harmless fixture, accept it by fingerprint in shipguard.yaml exceptions.',
  evaluate(facts) {
    if (!facts.isGitRepository || !facts.tracked) {
      return unknown(this.id, 'not a git repository, so it is unknown which files are committed', runInClone);
    }
    const { hits, count, cleared } = facts.tracked;
    if (hits.length === 0) {
      const evidence: Evidence[] = [
        {
          kind: 'absence',
          lookedFor: [...sensitiveNamePatterns],
          in: `${count} tracked files`,
          ...(cleared.length > 0 ? { note: `cleared by content: ${cleared.slice(0, 10).join(', ')}` } : {}),
        },
      ];
      if (facts.head) evidence.push({ kind: 'commit', commit: facts.head, note: 'HEAD' });
      return passed(
        this.id,
        `none of ${count} tracked files has a name that usually holds credentials`,
        evidence,
      );
    }
    const evidence: Evidence[] = hits.map((hit) => ({
      kind: 'file',
      path: hit.path,
      ...(hit.line === undefined ? {} : { line: hit.line }),
      note: hit.reason ? `${hit.kind}: ${hit.reason}` : hit.kind,
    }));
    const findings = hits.map((hit) =>
      findingOf(
        this,
        `${hit.path} is committed and looks like a ${hit.kind}${hit.reason ? ` (${hit.reason})` : ''}.`,
        {
          location: hit.line === undefined ? { path: hit.path } : { path: hit.path, line: hit.line },
          key: hit.path,
        },
      ),
    );
    return failed(this.id, `${hits.length} committed files usually hold credentials`, evidence, findings);
  },
};
