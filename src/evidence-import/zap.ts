import type { FindingSeverity, ParsedEvidence } from './model.js';
import * as support from './parse-support.js';

/** ZAP's riskcode: 3 high, 2 medium, 1 low, 0 informational (not a finding). */
const severityOfRisk: Readonly<Record<string, FindingSeverity | undefined>> = {
  '3': 'high',
  '2': 'medium',
  '1': 'low',
};

/**
 * An OWASP ZAP JSON report (the "Traditional JSON" report: `@version`, `@generated`, `site[]`
 * with `alerts[]`): each alert counts once per instance (its `count`, else its `instances`), at
 * its `riskcode`, with its `cweid`. ZAP scans a running site, so it names no commit.
 */
export function parseZap(fileName: string, document: unknown): ParsedEvidence {
  if (!support.isObject(document) || !Array.isArray(document['site'])) {
    throw support.malformed(fileName, 'a ZAP JSON report is an object with a site array');
  }
  const tally = new support.FindingTally();
  for (const site of support.arrayField(document, 'site')) {
    for (const alert of support.arrayField(site, 'alerts')) {
      if (!support.isObject(alert)) continue;
      const risk = String(alert['riskcode'] ?? '');
      const severity = severityOfRisk[risk];
      if (severity === undefined) continue;
      const declared = Number(alert['count']);
      const instances = support.arrayField(alert, 'instances').length;
      const count = Number.isSafeInteger(declared) && declared > 0 ? declared : Math.max(instances, 1);
      const cwe = Number(alert['cweid']);
      const name =
        support.stringField(alert, 'alert') ?? support.stringField(alert, 'name') ?? 'unnamed alert';
      const pluginId = support.stringField(alert, 'pluginid');
      tally.add(
        pluginId === undefined ? name : `${pluginId} ${name}`,
        severity,
        Number.isSafeInteger(cwe) && cwe > 0 ? [cwe] : [],
        count,
      );
    }
  }
  const version = support.stringField(document, '@version');
  const parsed: ParsedEvidence = {
    format: 'zap',
    tool: version === undefined ? 'OWASP ZAP' : `OWASP ZAP ${support.cleanText(version, 40)}`,
    summary: {
      kind: 'dynamic-scan',
      findings: tally.findings,
      suppressed: 0,
      complete: true,
      samples: tally.samples(),
      weaknesses: tally.weaknesses(),
    },
  };
  // ZAP writes its local time without a zone ("Sat, 30 May 2026 09:00:00"): read it as UTC.
  const stamp = support.stringField(document, '@generated');
  const generated = support.isoTime(
    stamp !== undefined && /\d{2}:\d{2}(:\d{2})?$/.test(stamp.trim()) ? `${stamp.trim()} UTC` : stamp,
  );
  if (generated !== undefined) parsed.ranAt = generated;
  return parsed;
}
