import type { Evidence } from '../../kernel/index.js';
import { failed, findingOf, passed } from '../results.js';
import type { Check } from '../types.js';
import { type IacFacts, infrastructurePatterns } from './collect.js';

/** Evidence names this many files; the summary counts them all. */
const evidencedFiles = 5;

export const iacPresent: Check<IacFacts> = {
  id: 'iac/present',
  title: 'Infrastructure is kept as code',
  severity: 'low',
  remediation:
    'If this repository deploys anything, keep its infrastructure as code (Terraform, Kubernetes manifests, a Dockerfile, …) beside it. If it deploys nothing, mark the control not-applicable in shipguard.yaml with a reason.',
  evaluate(facts) {
    const capNote =
      facts.uninspectedFiles > 0
        ? `${facts.uninspectedFiles} YAML or template files were not read (limit ${facts.inspectedFiles})`
        : undefined;
    if (facts.files.length === 0) {
      return failed(
        this.id,
        `no infrastructure as code found${capNote ? `; ${capNote}` : ''}`,
        [
          {
            kind: 'absence',
            lookedFor: [...infrastructurePatterns],
            in: 'working tree',
            ...(capNote ? { note: capNote } : {}),
          },
        ],
        [findingOf(this, 'No infrastructure-as-code files were found.', { key: 'none' })],
      );
    }
    const counts = new Map<string, number>();
    for (const file of facts.files) counts.set(file.kind, (counts.get(file.kind) ?? 0) + 1);
    const kinds = [...counts].map(([kind, count]) => `${kind} ${count}`).join(', ');
    const evidence: Evidence[] = facts.files
      .slice(0, evidencedFiles)
      .map((file) => ({ kind: 'file', path: file.path, line: 1, note: file.kind }));
    return passed(
      this.id,
      `${facts.files.length} infrastructure-as-code files (${kinds})${capNote ? `; ${capNote}` : ''}`,
      evidence,
    );
  },
};
