import type { SecretFinding } from './finding.js';

export type ScanMode = 'working-tree' | 'staged' | 'history' | 'commit';

export interface ScanStats {
  /** Files (working tree, staged) or unique blobs (history) scanned as text. */
  scanned: number;
  bytes: number;
  binarySkipped: number;
  /** Files that could not be read or were too large; each is also in `problems`. */
  unreadable: number;
  commits?: number;
  /** History: blobs skipped because an earlier scan under the same rules found them clean. */
  cached?: number;
  threads: number;
  elapsedMs: number;
}

/** The result of one scan. Holds no raw secret. */
export interface SecretScanReport {
  mode: ScanMode;
  root: string;
  findings: SecretFinding[];
  stats: ScanStats;
  /** True when part of what was asked could not be scanned (shallow clone, time budget, missing objects). */
  partial: boolean;
  partialReasons: string[];
  problems: string[];
  /** Findings dropped by .gitleaksignore or a baseline. */
  ignored: number;
}
