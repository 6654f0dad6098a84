/** The formats `shipguard evidence import` reads, and what each is evidence of. */
export const evidenceFormats = ['sarif', 'junit', 'zap', 'testssl', 'lcov', 'cobertura'] as const;
export type EvidenceFormat = (typeof evidenceFormats)[number];

export const evidenceKinds = ['tests', 'static-analysis', 'dynamic-scan', 'tls-scan', 'coverage'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export const kindOfFormat: Readonly<Record<EvidenceFormat, EvidenceKind>> = {
  sarif: 'static-analysis',
  junit: 'tests',
  zap: 'dynamic-scan',
  testssl: 'tls-scan',
  lcov: 'coverage',
  cobertura: 'coverage',
};

/** Findings normalised across tools: SARIF error, ZAP high, testssl HIGH/CRITICAL are `high`. */
export type FindingSeverity = 'high' | 'medium' | 'low';

/** How many findings of one weakness (a CWE id) the file reports, at one severity. */
export interface WeaknessCount {
  cwe: number;
  severity: FindingSeverity;
  count: number;
}

/** One kind of finding, for the report (at most 20 are kept, most severe first). */
export interface FindingSample {
  /** The tool's rule or check id (redacted, at most 200 characters). */
  rule: string;
  severity: FindingSeverity;
  count: number;
}

export interface FindingCounts {
  high: number;
  medium: number;
  low: number;
}

export type EvidenceSummary =
  | {
      kind: 'tests';
      tests: number;
      failures: number;
      errors: number;
      skipped: number;
      /** Names of the first failing tests (redacted, at most 10). */
      failing: string[];
    }
  | {
      kind: 'static-analysis' | 'dynamic-scan' | 'tls-scan';
      findings: FindingCounts;
      /** Results the tool marked suppressed (SARIF suppressions): not counted above. */
      suppressed: number;
      /** False when the tool said its run did not complete (SARIF executionSuccessful: false). */
      complete: boolean;
      samples: FindingSample[];
      weaknesses: WeaknessCount[];
    }
  | {
      kind: 'coverage';
      linesFound: number;
      linesHit: number;
      branchesFound?: number;
      branchesHit?: number;
    };

/** What a parser read from an evidence file: every string already through the redaction boundary. */
export interface ParsedEvidence {
  format: EvidenceFormat;
  /** The tool that produced the file, when the file says (SARIF driver name, ZAP, testssl.sh). */
  tool?: string;
  /** When the tool ran (ISO 8601), when the file says. */
  ranAt?: string;
  /** The commit the tool ran on, when the file says (SARIF versionControlProvenance). */
  commit?: string;
  summary: EvidenceSummary;
}

/** Where the recorded commit and time came from: the file itself, the operator, or the import. */
export type CommitSource = 'file' | 'option' | 'head';
export type RanAtSource = 'file' | 'import';

/** One stored import, as the collector and `evidence list` see it. */
export interface EvidenceImport {
  id: string;
  format: EvidenceFormat;
  kind: EvidenceKind;
  tool: string;
  ranAt: string;
  ranAtSource: RanAtSource;
  commit: string;
  commitSource: CommitSource;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  size: number;
  /** The file's base name as given (redacted). */
  fileName: string;
  importedAt: string;
  summary: EvidenceSummary;
  /**
   * The importer's DSSE signature over the import (everything above, as canonical JSON), when the
   * import was signed (`--sign-with`): canonical JSON of the envelope and the signing key's id.
   */
  signature?: { envelope: string; keyId: string };
  ledgerIndex: number;
  /**
   * Set on reading, never stored: the registered person whose key signed the import, once the
   * signature verified. Imports without it are declared evidence; with it, signed.
   */
  signedBy?: string;
}

export function emptyCounts(): FindingCounts {
  return { high: 0, medium: 0, low: 0 };
}
