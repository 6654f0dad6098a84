import type { FindingSeverity, ParsedEvidence } from './model.js';
import * as support from './parse-support.js';

/** testssl.sh severities: CRITICAL and HIGH are high; OK, INFO, WARN, DEBUG and FATAL are not findings. */
const severityOf: Readonly<Record<string, FindingSeverity | undefined>> = {
  CRITICAL: 'high',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
};

/**
 * testssl.sh JSON, both shapes: the flat `--json` array of `{id, ip, port, severity, finding}`
 * and the `--json-pretty` object (`Invocation`, `startTime`, `scanResult[]` whose sections are
 * arrays of the same entries). A scan that could not finish (a `scanProblem` entry at FATAL)
 * is incomplete. testssl.sh scans a running host, so it names no commit.
 */
export function parseTestssl(fileName: string, document: unknown): ParsedEvidence {
  let entries: unknown[];
  let ranAt: string | undefined;
  let version: string | undefined;
  if (Array.isArray(document)) {
    entries = document;
  } else if (support.isObject(document) && Array.isArray(document['scanResult'])) {
    entries = support
      .arrayField(document, 'scanResult')
      .flatMap((target) =>
        support.isObject(target)
          ? Object.values(target).flatMap((section) => (Array.isArray(section) ? section : []))
          : [],
      );
    const start = document['startTime'];
    const seconds = typeof start === 'string' || typeof start === 'number' ? Number(start) : Number.NaN;
    if (Number.isFinite(seconds)) ranAt = support.isoTime(seconds * 1000);
    version = support.stringField(document, 'version');
  } else {
    throw support.malformed(
      fileName,
      'a testssl.sh JSON report is an array of findings or an object with scanResult',
    );
  }
  const tally = new support.FindingTally();
  let complete = true;
  let recognised = 0;
  for (const entry of entries) {
    const id = support.stringField(entry, 'id');
    const severity = support.stringField(entry, 'severity');
    if (id === undefined || severity === undefined) continue;
    recognised += 1;
    if (severity === 'FATAL' || (id === 'scanProblem' && severity !== 'INFO')) complete = false;
    const level = severityOf[severity];
    if (level === undefined) continue;
    tally.add(id, level, support.cwesIn([support.stringField(entry, 'cwe') ?? '']));
  }
  if (entries.length > 0 && recognised === 0) {
    throw support.malformed(fileName, 'no entry has the id and severity of a testssl.sh finding');
  }
  const parsed: ParsedEvidence = {
    format: 'testssl',
    tool: version === undefined ? 'testssl.sh' : `testssl.sh ${support.cleanText(version, 40)}`,
    summary: {
      kind: 'tls-scan',
      findings: tally.findings,
      suppressed: 0,
      complete,
      samples: tally.samples(),
      weaknesses: tally.weaknesses(),
    },
  };
  if (ranAt !== undefined) parsed.ranAt = ranAt;
  return parsed;
}
