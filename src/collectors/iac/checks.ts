import type { Evidence } from '../../kernel/index.js';
import { failed, findingOf, passed, unknown } from '../results.js';
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
        ? `${facts.uninspectedFiles} candidate files were not read (limit ${facts.inspectedFiles})`
        : undefined;
    const files = facts.files.filter((file) => !file.empty && !file.unread);
    const empty = facts.files.filter((file) => file.empty);
    if (files.length === 0 && facts.files.some((file) => file.unread)) {
      return unknown(
        this.id,
        `no infrastructure as code among the files read; ${capNote ?? 'some files were not read'}`,
        'Assess a smaller tree, or mark the control not applicable in shipguard.yaml with a reason if nothing is deployed.',
      );
    }
    if (files.length === 0 && empty.length > 0) {
      // Names without content are what a template leaves behind, not infrastructure.
      const listed = empty
        .slice(0, evidencedFiles)
        .map((file) => file.path)
        .join(', ');
      return failed(
        this.id,
        `${empty.length} infrastructure-as-code file(s) by name, all empty or only comments (${listed})`,
        [
          {
            kind: 'absence',
            lookedFor: [...infrastructurePatterns],
            in: 'working tree',
            note: `empty or comment-only: ${listed}${empty.length > evidencedFiles ? ` and ${empty.length - evidencedFiles} more` : ''}`,
          },
        ],
        empty.slice(0, 20).map((file) =>
          findingOf(this, `${file.path} is named as ${file.kind} but holds nothing.`, {
            location: { path: file.path },
            key: file.path,
          }),
        ),
      );
    }
    if (files.length === 0) {
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
    for (const file of files) counts.set(file.kind, (counts.get(file.kind) ?? 0) + 1);
    const kinds = [...counts].map(([kind, count]) => `${kind} ${count}`).join(', ');
    const evidence: Evidence[] = files
      .slice(0, evidencedFiles)
      .map((file) => ({ kind: 'file', path: file.path, line: 1, note: file.kind }));
    return passed(
      this.id,
      `${files.length} infrastructure-as-code files (${kinds})${capNote ? `; ${capNote}` : ''}`,
      evidence,
    );
  },
};
