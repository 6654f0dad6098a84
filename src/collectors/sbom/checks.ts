import type { Evidence } from '../../kernel/index.js';
import { failed, findingOf, notApplicable, passed, unlockedDependencies } from '../results.js';
import type { Check } from '../types.js';
import type { SbomFacts } from './collect.js';

export const sbomGenerated: Check<SbomFacts> = {
  id: 'sbom/generated',
  title: 'A software bill of materials can be produced for every dependency',
  severity: 'medium',
  remediation:
    'Fix the lockfiles named in the findings so every dependency can be listed, then publish `shipguard sbom . -o bom.cdx.json` with each release.',
  evaluate(facts) {
    if (facts.errors.length > 0) {
      return failed(
        this.id,
        `${facts.errors.length} lockfile(s) could not be read, so the SBOM would miss their dependencies`,
        facts.errors.map((error) => ({
          kind: 'file' as const,
          path: error.path,
          ...(error.line === undefined ? {} : { line: error.line }),
        })),
        facts.errors.map((error) =>
          findingOf(this, error.message, {
            location: { path: error.path, ...(error.line === undefined ? {} : { line: error.line }) },
            key: error.code,
          }),
        ),
      );
    }
    const kept = facts.committedRead.flatMap((item) => ('components' in item ? [item] : []));
    const evidence: Evidence[] = kept.map((item) => ({
      kind: 'file' as const,
      path: item.path,
      note: `SBOM kept in the repository, ${item.components} component(s)`,
    }));
    if (facts.digest !== undefined) {
      evidence.unshift({
        kind: 'digest',
        algorithm: 'sha256',
        value: facts.digest,
        subject: `CycloneDX 1.6 SBOM of ${facts.packages} packages from ${facts.lockfiles.length} lockfile(s)`,
      });
    }
    const unlocked = unlockedDependencies(this, facts.unlocked, 'an SBOM cannot list their versions');
    if (unlocked) return unlocked;
    if (evidence.length > 0) {
      const what =
        facts.digest !== undefined
          ? `an SBOM of ${facts.packages} packages is built from ${facts.lockfiles.map((lockfile) => lockfile.path).join(', ')}`
          : `SBOM kept in ${kept.map((item) => item.path).join(', ')}`;
      return passed(this.id, what, evidence);
    }
    const hollow = facts.committedRead.flatMap((item) => ('problem' in item ? [item] : []));
    if (hollow.length > 0) {
      // A file with an SBOM's name that lists nothing is a name, not a bill of materials.
      return failed(
        this.id,
        `${hollow.length} file(s) named like an SBOM, none listing a component: ${hollow.map((item) => item.path).join(', ')}`,
        hollow.map((item) => ({ kind: 'file' as const, path: item.path, note: item.problem })),
        hollow.map((item) =>
          findingOf(this, `${item.path} ${item.problem}.`, { location: { path: item.path }, key: item.path }),
        ),
      );
    }
    return notApplicable(
      this.id,
      'no lockfile and no SBOM: the repository locks no third-party dependencies',
      [
        {
          kind: 'absence',
          lookedFor: [
            'lockfiles of npm, pnpm, yarn, PyPI, Go, Cargo, Maven, Gradle, RubyGems, NuGet, Composer',
            '*.cdx.json',
            '*.spdx.json',
          ],
          in: 'working tree',
        },
      ],
    );
  },
};
