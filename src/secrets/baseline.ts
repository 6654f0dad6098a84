import { readInputFile } from '../kernel/index.js';
import { SecretsError } from './errors.js';
import type { SecretScanReport } from './report.js';

const maxBaselineBytes = 64 * 1024 * 1024;

/**
 * Reads accepted findings from a baseline: a shipguard JSON or SARIF report, or a gitleaks JSON
 * report. Returns the ids and gitleaks fingerprints it names.
 */
export async function readBaseline(path: string): Promise<Set<string>> {
  // Bounded: a FIFO or /dev/zero named as the baseline is refused, not read without end.
  const text = (await readInputFile(path, 'baseline', { maxBytes: maxBaselineBytes })).toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SecretsError('SECRETS_BASELINE_INVALID', `baseline ${path} is not JSON`, { cause: error });
  }
  const accepted = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length > 0) accepted.add(value);
  };
  if (Array.isArray(document)) {
    // gitleaks' JSON report: an array of findings with a Fingerprint.
    for (const entry of document) if (isRecord(entry)) add(entry['Fingerprint']);
    return accepted;
  }
  if (isRecord(document) && Array.isArray(document['findings'])) {
    for (const entry of document['findings']) {
      if (!isRecord(entry)) continue;
      add(entry['id']);
      add(entry['fingerprint']);
    }
    return accepted;
  }
  if (isRecord(document) && Array.isArray(document['runs'])) {
    for (const run of document['runs']) {
      if (!isRecord(run) || !Array.isArray(run['results'])) continue;
      for (const result of run['results']) {
        if (!isRecord(result) || !isRecord(result['partialFingerprints'])) continue;
        add(result['partialFingerprints']['shipguardSecret/v1']);
        add(result['partialFingerprints']['gitleaks/v1']);
      }
    }
    return accepted;
  }
  throw new SecretsError(
    'SECRETS_BASELINE_INVALID',
    `baseline ${path} is neither a shipguard report (JSON or SARIF) nor a gitleaks JSON report`,
  );
}

/** Drops findings the baseline accepts: by stable id, or by gitleaks fingerprint. */
export function applyBaseline(report: SecretScanReport, accepted: ReadonlySet<string>): void {
  const kept = report.findings.filter(
    (finding) => !accepted.has(finding.id) && !accepted.has(finding.fingerprint),
  );
  report.ignored += report.findings.length - kept.length;
  report.findings = kept;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
