import { AdvisoryError } from './errors.js';

export interface CvssScore {
  version: '3.0' | '3.1' | '4.0';
  vector: string;
  /** The base score; undefined for CVSS v4 (see computeCvss). */
  baseScore?: number;
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

const v4Allowed: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
};
const v4Required = Object.keys(v4Allowed);

function parseMetrics(
  vector: string,
  prefix: string,
  allowed: Record<string, readonly string[]>,
): Map<string, string> {
  if (vector.length > 300 || !vector.startsWith(prefix)) {
    throw new AdvisoryError('CVSS_INVALID', `not a ${prefix} vector: ${vector.slice(0, 80)}`);
  }
  const metrics = new Map<string, string>();
  for (const part of vector.slice(prefix.length).split('/')) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined) {
      throw new AdvisoryError('CVSS_INVALID', `malformed metric "${part}" in ${vector}`);
    }
    if (metrics.has(key)) throw new AdvisoryError('CVSS_INVALID', `metric ${key} repeated in ${vector}`);
    const values = allowed[key];
    // CVSS v4 has many supplemental and environmental metrics; only base ones are checked strictly.
    if (values && !values.includes(value)) {
      throw new AdvisoryError('CVSS_INVALID', `metric ${key} cannot be ${value} in ${vector}`);
    }
    if (!values && prefix.startsWith('CVSS:3'))
      throw new AdvisoryError('CVSS_INVALID', `unknown metric ${key} in ${vector}`);
    metrics.set(key, value);
  }
  return metrics;
}

/** CVSS v3.1's Roundup: the smallest number with one decimal that is ≥ the input, float-safe. */
function roundUp(value: number): number {
  const integer = Math.round(value * 100_000);
  return integer % 10_000 === 0 ? integer / 100_000 : (Math.floor(integer / 10_000) + 1) / 10;
}

/** The CVSS v3.0/v3.1 base score from a vector, per the specification's equations. */
export function cvss3BaseScore(vector: string): number {
  const prefix = vector.startsWith('CVSS:3.0/') ? 'CVSS:3.0/' : 'CVSS:3.1/';
  const metrics = parseMetrics(vector, prefix, v3Allowed);
  for (const key of v3Required) {
    if (!metrics.has(key)) throw new AdvisoryError('CVSS_INVALID', `base metric ${key} missing in ${vector}`);
  }
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

/** Parses and validates a CVSS v4.0 vector (all eleven base metrics present, values in range). */
export function validateCvss4(vector: string): void {
  const metrics = parseMetrics(vector, 'CVSS:4.0/', v4Allowed);
  for (const key of v4Required) {
    if (!metrics.has(key)) throw new AdvisoryError('CVSS_INVALID', `base metric ${key} missing in ${vector}`);
  }
}

/**
 * Reads a CVSS vector. v3.x gets its base score computed; v4.0 is validated but not scored
 * (the v4 score needs the specification's macro-vector lookup table, not implemented here), so
 * callers take the severity from the advisory's own rating instead.
 */
export function computeCvss(vector: string): CvssScore {
  if (vector.startsWith('CVSS:3.0/') || vector.startsWith('CVSS:3.1/')) {
    return {
      version: vector.startsWith('CVSS:3.0/') ? '3.0' : '3.1',
      vector,
      baseScore: cvss3BaseScore(vector),
    };
  }
  if (vector.startsWith('CVSS:4.0/')) {
    validateCvss4(vector);
    return { version: '4.0', vector };
  }
  throw new AdvisoryError('CVSS_INVALID', `unsupported CVSS vector: ${vector.slice(0, 80)}`);
}
