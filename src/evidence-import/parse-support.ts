import { redactText } from '../kernel/index.js';
import { EvidenceImportError } from './errors.js';
import type { FindingCounts, FindingSample, FindingSeverity, WeaknessCount } from './model.js';

/** Any string taken from an evidence file: redacted, control characters dropped, bounded. */
export function cleanText(value: string, maxLength = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return redactText(printable.length > maxLength ? `${printable.slice(0, maxLength - 1)}…` : printable);
}

export function malformed(fileName: string, message: string): EvidenceImportError {
  return new EvidenceImportError('EVIDENCE_MALFORMED', `${fileName}: ${message}`, {
    location: { path: fileName },
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return isObject(field) ? field : undefined;
}

export function arrayField(value: unknown, key: string): unknown[] {
  if (!isObject(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field : [];
}

export function stringField(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

/** A time the file states, as ISO 8601 (UTC), or undefined when it is not a valid time. */
export function isoTime(value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const date = typeof value === 'number' ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  if (year < 1990 || year > 9999) return undefined;
  return date.toISOString();
}

/** Parses JSON, turning a syntax error into the import's own error. */
export function parseJson(fileName: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformed(
      fileName,
      `not valid JSON (${error instanceof Error ? error.message.slice(0, 200) : 'parse error'})`,
    );
  }
}

const maxSamples = 20;
const severityOrder: readonly FindingSeverity[] = ['high', 'medium', 'low'];

/** Counts findings by severity, rule and weakness while a parser walks the file. */
export class FindingTally {
  readonly findings: FindingCounts = { high: 0, medium: 0, low: 0 };
  private readonly byRule = new Map<string, FindingSample>();
  private readonly byWeakness = new Map<string, WeaknessCount>();

  add(rule: string, severity: FindingSeverity, cwes: readonly number[], count = 1): void {
    this.findings[severity] += count;
    const ruleKey = `${severity}\u0000${rule}`;
    const sample = this.byRule.get(ruleKey);
    if (sample) sample.count += count;
    else if (this.byRule.size < 10_000) this.byRule.set(ruleKey, { rule: cleanText(rule), severity, count });
    for (const cwe of new Set(cwes)) {
      const key = `${cwe}:${severity}`;
      const weakness = this.byWeakness.get(key);
      if (weakness) weakness.count += count;
      else if (this.byWeakness.size < 10_000) this.byWeakness.set(key, { cwe, severity, count });
    }
  }

  samples(): FindingSample[] {
    return [...this.byRule.values()]
      .sort(
        (a, b) =>
          severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) ||
          b.count - a.count ||
          a.rule.localeCompare(b.rule),
      )
      .slice(0, maxSamples);
  }

  weaknesses(): WeaknessCount[] {
    return [...this.byWeakness.values()].sort(
      (a, b) => a.cwe - b.cwe || severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity),
    );
  }
}

/** CWE ids named in text such as `external/cwe/cwe-079`, `CWE-89: SQL injection` or `cwe:22`. */
export function cwesIn(texts: readonly string[]): number[] {
  const found = new Set<number>();
  for (const text of texts) {
    for (const match of text.slice(0, 1000).matchAll(/cwe[-/:_ ]?0*(\d{1,5})\b/gi)) {
      found.add(Number(match[1]));
    }
  }
  return [...found];
}
