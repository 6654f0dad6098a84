import { areas, type Catalog, type Control } from '../catalog/index.js';
import type { AnyCollector } from '../collectors/index.js';
import type { EvidenceLevel } from '../kernel/index.js';
import { defaultPolicy, type Policy } from '../policy/index.js';

/**
 * The part of docs/controls.md that says, for every control, what evidence makes it pass, what
 * makes it fail and what leaves it unknown. Generated from the catalog and the registered checks,
 * so it cannot drift from what shipguard does: a test compares the file with this output.
 */

export const generatedStart = '<!-- generated from the catalog and the checks: npm run docs:controls -->';
export const generatedEnd = '<!-- end of generated section -->';

/** When a check is unknown rather than pass or fail, for checks whose reason is not obvious. */
const unknownWhen: Readonly<Record<string, string>> = {
  'review/coverage':
    'the history does not cover the audit period (shallow or partial clone, a `review.last` cap), or merges through requests have no approvals visible offline (no forge token)',
  'review/no-direct-pushes': 'the history does not cover the audit period (shallow or partial clone, a cap)',
  'review/separation-of-duties':
    'the history does not cover the audit period, or no approvals are known (no forge token, no trailers)',
  'review/sensitive-paths-owned':
    'the history does not cover the audit period, reviewers are not known offline, or owners are teams that cannot be resolved offline',
  'signatures/signed-changes':
    'the history does not cover the audit period, or signatures cannot be verified (no allowed-signers file, no keys)',
  'traceability/releases-reachable': 'the clone is shallow, or the default branch cannot be read',
  'traceability/deployments-reachable':
    'the clone is shallow, or no store with gate decisions is at hand (`SHIPGUARD_DB`)',
  'pipelines/deploy-gated':
    'production deploys rely on forge-side environment protection, which cannot be seen offline; or the repository has release tags but no pipeline deploys them (a system not visible offline may)',
  'pipelines/provenance-produced':
    'the repository has release tags but no pipeline deploys or publishes them (a system not visible offline may)',
  'review/releases-reviewed':
    'the history does not cover the audit period, or a shipped change came through a request whose approvals are not visible offline',
  'runtime-versions/supported':
    'the end-of-life dataset is too old, no declared version is in it, or only CI test runtimes are declared (a test matrix is not what runs in production)',
  'security-policy/present':
    'the repository has no SECURITY.md: an organisation-level policy may apply and is not visible offline',
  'security-policy/contact': 'the repository has no SECURITY.md (see above)',
  'vulns/database-fresh':
    'no advisory database is at hand, or it is older than `supplyChain.advisoryDatabaseMaxAgeDays`',
  'vulns/no-overdue': 'no advisory database is at hand, or it is stale',
  'backups/recent': 'no backup location is named in `backups.locations`',
  'secrets/history-clean': 'the history scan did not finish within its 30 s budget, or the clone is shallow',
  'evidence-import/tests-passed':
    'no JUnit results for the assessed commit, run within `evidence.importMaxAgeDays`, were imported (`shipguard evidence import`)',
  'evidence-import/sast-results':
    'no SARIF results for the assessed commit, run within `evidence.importMaxAgeDays`, were imported, or the tool says its run did not complete',
  'evidence-import/host-scan':
    'no ZAP or testssl.sh scan run within `evidence.importMaxAgeDays` was imported, or the tool says its run did not complete',
};

/**
 * Checks that can only fail: imported scan results can show a weakness or a failing check that got
 * through, never the opposite, so without such a finding they are not applicable and left out.
 */
function onlyFails(id: string): boolean {
  return id === 'evidence-import/scan-failures' || id.startsWith('evidence-import/findings-');
}

const levelWords: Readonly<Record<EvidenceLevel, string>> = {
  declared: 'declared evidence or stronger (a typed attestation is enough)',
  signed: 'signed or verified evidence (a typed attestation or an author-typed trailer is not enough)',
  verified: 'verified evidence only (what shipguard reads or checks itself)',
};

export function renderControlsEvidenceDoc(
  catalog: Catalog,
  collectors: Readonly<Record<string, AnyCollector>>,
  policy: Policy = defaultPolicy(),
): string {
  const checks = new Map(
    Object.values(collectors).flatMap((collector) => collector.checks.map((check) => [check.id, check])),
  );
  const out: string[] = [generatedStart, '', '## What makes each control pass, fail or stay unknown', ''];
  out.push(
    'Rules for every control: a control passes only when every check it names passes (checks that find',
    'nothing to judge are left out), its record is current, and its evidence reaches the minimum level',
    `the policy sets (\`evidence.minimumLevel\`: by default ${(['critical', 'high', 'medium', 'low'] as const)
      .map((severity) => `${severity} ${policy.evidence.minimumLevel[severity]}`)
      .join(', ')}). It fails when a check fails and none passes, is partial when some pass and some`,
    'fail, and is unknown when nothing fails but evidence is missing or too weak; the result says how',
    'to provide it. A control is not applicable only when `controls:` in shipguard.yaml says so with a',
    'reason, or when every one of its checks finds nothing to judge; a declaration is refused when a',
    'check fails on something it found (not an absence) or the record is stale, as that shows the',
    'control applies. A check whose every finding is accepted by fingerprint passes on the exceptions',
    'in shipguard.yaml, so on declared evidence. History-based checks judge only the changes of the',
    'audit period (`--period`, `auditPeriod`, default the last 12 months).',
    '',
  );
  for (const area of areas) {
    const controls = catalog.controls.filter((control) => control.area === area);
    if (controls.length === 0) continue;
    out.push(`### ${area}`, '');
    for (const control of controls) out.push(...describeControl(control, checks, policy), '');
  }
  out.push(generatedEnd);
  return `${out.join('\n')}\n`;
}

function describeControl(
  control: Control,
  checks: ReadonlyMap<string, AnyCollector['checks'][number]>,
  policy: Policy,
): string[] {
  const required = policy.evidence.controls[control.id] ?? policy.evidence.minimumLevel[control.severity];
  const lines = [`#### ${control.id} · ${control.title} (${control.severity})`, ''];
  const assessment = control.assessment;
  const named = assessment.checks
    .filter((id) => !onlyFails(id))
    .map((id) => `\`${id}\` (${checks.get(id)?.title ?? 'not built'})`);
  const failOnly = assessment.checks.filter(onlyFails).map((id) => `\`${id}\``);
  const record =
    assessment.record !== undefined || assessment.checks.length === 0
      ? `a \`${assessment.record ?? 'attestation'}\` record${assessment.cadenceDays ? ` no older than ${assessment.cadenceDays} days` : ''}`
      : undefined;
  const passParts = [
    ...(named.length > 0
      ? [`${named.length === 1 ? 'the check' : 'every check'} passes: ${named.join('; ')}`]
      : []),
    ...(record ? [record] : []),
  ];
  const leftOut =
    failOnly.length > 0 ? ` (${failOnly.join(', ')} can only fail: without a finding it is left out)` : '';
  lines.push(`- **Pass:** ${passParts.join(', and ')}; on ${levelWords[required]}${leftOut}.`);
  const failParts = [
    ...assessment.checks.map((id) => {
      const check = checks.get(id);
      return check
        ? `\`${id}\` fails (fix: ${check.remediation.replace(/\s+/g, ' ').trim()})`
        : `\`${id}\` fails`;
    }),
    ...(record && assessment.cadenceDays
      ? [`the latest record is older than ${assessment.cadenceDays} days`]
      : []),
  ];
  lines.push(
    `- **Fail:** ${failParts.length > 0 ? failParts.join('; or ') : 'never: only a record evidences it'}.`,
  );
  const unknownParts = [
    ...assessment.checks
      .filter((id) => !onlyFails(id))
      .map((id) => `\`${id}\` lacks evidence${unknownWhen[id] ? ` (${unknownWhen[id]})` : ''}`),
    ...(record ? [`there is no ${assessment.record ?? 'attestation'} record`] : []),
    `the best evidence is weaker than ${required}`,
  ];
  lines.push(`- **Unknown:** ${unknownParts.join('; or ')}.`);
  if (assessment.planned.length > 0) {
    lines.push(
      `- **Planned checks:** ${assessment.planned.map((id) => `\`${id}\``).join(', ')} (until built, they add nothing).`,
    );
  }
  return lines;
}

/** Replaces the generated section of a document, or appends it when the document has none. */
export function replaceGeneratedSection(document: string, section: string): string {
  const start = document.indexOf(generatedStart);
  const end = document.indexOf(generatedEnd);
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${section}`;
  return `${document.slice(0, start)}${section}${document.slice(end + generatedEnd.length + 1)}`;
}
