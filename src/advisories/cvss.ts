import { parseCvssMetrics, requireCvssMetrics } from './cvss-vector.js';
import { type Cvss4Nomenclature, cvss4Score } from './cvss4.js';
import { AdvisoryError } from './errors.js';

export interface CvssScore {
  version: '3.0' | '3.1' | '4.0';
  vector: string;
  /** v3.x: the base score; v4.0: the score over the metric groups present (see `nomenclature`). */
  score: number;
  /** v4.0 only: CVSS-B, or CVSS-BT / -BE / -BTE when threat or environmental metrics are defined. */
  nomenclature?: Cvss4Nomenclature;
}

export type CvssRating = 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

/** The qualitative rating of a score, the same bands in v3.x and v4.0. */
export function ratingOfScore(score: number): CvssRating {
  if (score >= 9) return 'Critical';
  if (score >= 7) return 'High';
  if (score >= 4) return 'Medium';
  if (score > 0) return 'Low';
  return 'None';
}

const v3Weights = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

const v3Required = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;
const v3Allowed: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
  E: ['X', 'U', 'P', 'F', 'H'],
  RL: ['X', 'O', 'T', 'W', 'U'],
  RC: ['X', 'U', 'R', 'C'],
  CR: ['X', 'L', 'M', 'H'],
  IR: ['X', 'L', 'M', 'H'],
  AR: ['X', 'L', 'M', 'H'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', 'N', 'L', 'H'],
  MI: ['X', 'N', 'L', 'H'],
  MA: ['X', 'N', 'L', 'H'],
};

/** CVSS v3.1's Roundup: the smallest number with one decimal that is ≥ the input, float-safe. */
function roundUp(value: number): number {
  const integer = Math.round(value * 100_000);
  return integer % 10_000 === 0 ? integer / 100_000 : (Math.floor(integer / 10_000) + 1) / 10;
}

/** The CVSS v3.0/v3.1 base score from a vector, per the specification's equations. */
export function cvss3BaseScore(vector: string): number {
  const prefix = vector.startsWith('CVSS:3.0/') ? 'CVSS:3.0/' : 'CVSS:3.1/';
  const metrics = parseCvssMetrics(vector, prefix, v3Allowed);
  requireCvssMetrics(metrics, v3Required, vector);
  const get = (key: string) => metrics.get(key) as string;
  const changed = get('S') === 'C';
  const av = v3Weights.AV[get('AV') as keyof typeof v3Weights.AV];
  const ac = v3Weights.AC[get('AC') as keyof typeof v3Weights.AC];
  const ui = v3Weights.UI[get('UI') as keyof typeof v3Weights.UI];
  const pr = get('PR') === 'N' ? 0.85 : get('PR') === 'L' ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
  const c = v3Weights.CIA[get('C') as keyof typeof v3Weights.CIA];
  const i = v3Weights.CIA[get('I') as keyof typeof v3Weights.CIA];
  const a = v3Weights.CIA[get('A') as keyof typeof v3Weights.CIA];
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const round = prefix === 'CVSS:3.0/' ? (value: number) => Math.ceil(value * 10) / 10 : roundUp;
  return changed
    ? round(Math.min(1.08 * (impact + exploitability), 10))
    : round(Math.min(impact + exploitability, 10));
}

/**
 * Reads a CVSS vector and scores it: v3.0/v3.1 with the specification's base equations, v4.0 with
 * its MacroVector lookup and interpolation (see cvss4.ts).
 */
export function computeCvss(vector: string): CvssScore {
  if (vector.startsWith('CVSS:3.0/') || vector.startsWith('CVSS:3.1/')) {
    return {
      version: vector.startsWith('CVSS:3.0/') ? '3.0' : '3.1',
      vector,
      score: cvss3BaseScore(vector),
    };
  }
  if (vector.startsWith('CVSS:4.0/')) {
    const { score, nomenclature } = cvss4Score(vector);
    return { version: '4.0', vector, score, nomenclature };
  }
  throw new AdvisoryError('CVSS_INVALID', `unsupported CVSS vector: ${vector.slice(0, 80)}`);
}
