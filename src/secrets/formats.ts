import { escapeForTerminal, toolVersion } from '../kernel/index.js';
import type { SecretFinding } from './finding.js';
import { describeRedacted } from './redact.js';
import type { SecretScanReport } from './report.js';

export const secretFormats = ['table', 'json', 'sarif'] as const;
export type SecretFormat = (typeof secretFormats)[number];

/** Renders a report. Findings hold only redacted secrets, so no format can print one whole. */
export function renderReport(report: SecretScanReport, format: SecretFormat): string {
  if (format === 'json') return `${JSON.stringify(toJson(report), null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(toSarif(report), null, 2)}\n`;
  return renderTable(report);
}

function location(finding: SecretFinding): string {
  return finding.line > 0 ? `${finding.path}:${finding.line}:${finding.column}` : finding.path;
}

function renderTable(report: SecretScanReport): string {
  const lines: string[] = [];
  for (const finding of report.findings) {
    const history = finding.commit
      ? `  ${finding.commit.slice(0, 12)} ${finding.date?.slice(0, 10) ?? ''} ${finding.author ?? ''} [${finding.presence ?? 'unknown'}]`
      : '';
    lines.push(
      `${finding.severity.toUpperCase().padEnd(8)} ${finding.ruleId.padEnd(28)} ${location(finding)}${history}`,
      `         ${describeRedacted(finding.secret)}  id ${finding.id}`,
    );
    if (finding.testCredential) lines.push(`         ${finding.testCredential}`);
  }
  const stats = report.stats;
  const what =
    report.mode === 'history'
      ? `${stats.scanned} blobs${stats.cached ? ` (and ${stats.cached} known clean)` : ''} in ${stats.commits ?? 0} commits`
      : `${stats.scanned} files`;
  lines.push(
    `${report.findings.length === 0 ? (report.partial ? 'no secrets found in what could be read (PARTIAL scan)' : 'no secrets found') : `${report.findings.length} secret(s) found`} (${report.mode}: ${what}, ${stats.binarySkipped} binary skipped, ${stats.unreadable} unreadable, ${report.ignored} ignored, ${stats.threads} thread(s), ${stats.elapsedMs} ms)`,
  );
  if (report.partial) lines.push(`PARTIAL: ${report.partialReasons.join('; ')}`);
  for (const problem of report.problems.slice(0, 20)) lines.push(`problem: ${problem}`);
  if (report.findings.some((finding) => finding.presence === 'removed')) {
    lines.push(
      'A secret removed from the tree is still in history: rotate it, then consider rewriting history.',
    );
  }
  // Every line may quote repository text: escaped so it cannot forge a line or move the cursor.
  return `${lines.map(escapeForTerminal).join('\n')}\n`;
}

function toJson(report: SecretScanReport) {
  return {
    tool: { name: 'shipguard', version: toolVersion },
    mode: report.mode,
    partial: report.partial,
    partialReasons: report.partialReasons,
    stats: report.stats,
    ignored: report.ignored,
    problems: report.problems,
    findings: report.findings,
  };
}

function toSarif(report: SecretScanReport) {
  const ruleIds = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
  const descriptions = new Map(report.findings.map((finding) => [finding.ruleId, finding.description]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipguard',
            version: toolVersion,
            informationUri: 'https://github.com/shipguard/shipguard',
            rules: ruleIds.map((id) => ({
              id,
              name: id,
              shortDescription: { text: descriptions.get(id) ?? id },
              help: { text: 'Rotate the credential first, then remove it from the code and from history.' },
            })),
          },
        },
        results: report.findings.map((finding) => {
          const region =
            finding.line > 0 ? { region: { startLine: finding.line, startColumn: finding.column } } : {};
          return {
            ruleId: finding.ruleId,
            ruleIndex: ruleIds.indexOf(finding.ruleId),
            level: finding.severity === 'low' ? 'note' : finding.severity === 'medium' ? 'warning' : 'error',
            message: {
              text: `${finding.description}: ${describeRedacted(finding.secret)}${finding.commit ? ` introduced in ${finding.commit} (${finding.presence})` : ''}`,
            },
            locations: [{ physicalLocation: { artifactLocation: { uri: finding.path }, ...region } }],
            partialFingerprints: { 'shipguardSecret/v1': finding.id, 'gitleaks/v1': finding.fingerprint },
            properties: {
              secretPrefix: finding.secret.prefix,
              secretLength: finding.secret.length,
              secretSha256: finding.secret.sha256,
              ...(finding.testCredential ? { testCredential: finding.testCredential } : {}),
              ...(finding.commit
                ? {
                    commit: finding.commit,
                    author: finding.author,
                    date: finding.date,
                    presence: finding.presence,
                  }
                : {}),
            },
          };
        }),
        invocations: [
          {
            executionSuccessful: true,
            properties: { partial: report.partial, partialReasons: report.partialReasons },
          },
        ],
      },
    ],
  };
}
