import { createHash } from 'node:crypto';
import type { RedactedSecret } from './redact.js';
import type { RuleSpec } from './rules/types.js';

/** A secret found in a file or in history. Holds no raw secret: safe to print, log and store. */
export interface SecretFinding {
  ruleId: string;
  description: string;
  severity: RuleSpec['severity'];
  path: string;
  line: number;
  column: number;
  secret: RedactedSecret;
  /** Why this is a test credential (localhost, a CI service container) or a placeholder: its severity is then low. */
  testCredential?: string;
  /** History scans: the commit that introduced the secret at this path. */
  commit?: string;
  author?: string;
  date?: string;
  /** History scans: whether HEAD still holds the secret at this path. */
  presence?: 'present' | 'removed';
  /** gitleaks-compatible: `commit:path:rule:line` (history) or `path:rule:line`, for .gitleaksignore. */
  fingerprint: string;
  /** shipguard's stable id: rule, path and secret hash, without line or commit, for baselines. */
  id: string;
}

export function gitleaksFingerprint(path: string, ruleId: string, line: number, commit?: string): string {
  return commit ? `${commit}:${path}:${ruleId}:${line}` : `${path}:${ruleId}:${line}`;
}

export function stableFindingId(ruleId: string, path: string, secretSha256: string): string {
  return createHash('sha256').update(`${ruleId}\0${path}\0${secretSha256}`).digest('hex').slice(0, 32);
}

/** Findings in a stable order: path, line, column, rule. */
export function sortFindings(findings: SecretFinding[]): SecretFinding[] {
  return findings.sort(
    (left, right) =>
      left.path.localeCompare(right.path) ||
      left.line - right.line ||
      left.column - right.column ||
      left.ruleId.localeCompare(right.ruleId),
  );
}
