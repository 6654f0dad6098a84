import { parseCvssMetrics, requireCvssMetrics } from './cvss-vector.js';
import { macroVectorScores } from './cvss4-macrovectors.js';
import { AdvisoryError } from './errors.js';

const impact = ['H', 'L', 'N'];
const baseAllowed = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: impact,
  VI: impact,
  VA: impact,
  SC: impact,
  SI: impact,
  SA: impact,
} as const;
const threatAllowed = { E: ['X', 'A', 'P', 'U'] } as const;
const environmentalAllowed = {
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MAT: ['X', 'N', 'P'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', ...impact],
  MVI: ['X', ...impact],
  MVA: ['X', ...impact],
  MSC: ['X', ...impact],
  // Safety (S) exists only for the modified subsequent-system integrity and availability.
  MSI: ['X', 'S', ...impact],
  MSA: ['X', 'S', ...impact],
} as const;
/** Supplemental metrics never change the score; they are validated and ignored. */
const supplementalAllowed = {
  S: ['X', 'N', 'P'],
  AU: ['X', 'N', 'Y'],
  R: ['X', 'A', 'U', 'I'],
  V: ['X', 'D', 'C'],
  RE: ['X', 'L', 'M', 'H'],
  U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
} as const;
const allowed: Readonly<Record<string, readonly string[]>> = {
  ...baseAllowed,
  ...threatAllowed,
  ...environmentalAllowed,
  ...supplementalAllowed,
};

/** Which metric groups took part in a score (the specification's nomenclature). */
export type Cvss4Nomenclature = 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';

export interface Cvss4Score {
  score: number;
  nomenclature: Cvss4Nomenclature;
  /** The six EQ levels, e.g. `000200`. */
  macroVector: string;
}

type Metrics = ReadonlyMap<string, string>;

/** Parses and validates a CVSS v4.0 vector: all eleven base metrics, every value in range. */
export function parseCvss4(vector: string): Metrics {
  const metrics = parseCvssMetrics(vector, 'CVSS:4.0/', allowed);
  requireCvssMetrics(metrics, Object.keys(baseAllowed), vector);
  return metrics;
}

/**
 * The value a metric takes in scoring: Not Defined (X) threat means Attacked and Not Defined
 * security requirements mean High (the worst case); a defined modified metric replaces its base one.
 */
function effective(metrics: Metrics, name: string): string {
  const selected = metrics.get(name) ?? 'X';
  if (name === 'E') return selected === 'X' ? 'A' : selected;
  if (name === 'CR' || name === 'IR' || name === 'AR') return selected === 'X' ? 'H' : selected;
  const modified = metrics.get(`M${name}`);
  return modified !== undefined && modified !== 'X' ? modified : selected;
}

function equivalenceClasses(metrics: Metrics): [number, number, number, number, number, number] {
  const value = (name: string) => effective(metrics, name);
  const [av, pr, ui] = [value('AV'), value('PR'), value('UI')];
  const eq1 =
    av === 'N' && pr === 'N' && ui === 'N'
      ? 0
      : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P'
        ? 1
        : 2;
  const eq2 = value('AC') === 'L' && value('AT') === 'N' ? 0 : 1;
  const [vc, vi, va] = [value('VC'), value('VI'), value('VA')];
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const eq4 =
    value('SI') === 'S' || value('SA') === 'S'
      ? 0
      : value('SC') === 'H' || value('SI') === 'H' || value('SA') === 'H'
        ? 1
        : 2;
  const exploit = value('E');
  const eq5 = exploit === 'A' ? 0 : exploit === 'P' ? 1 : 2;
  const eq6 =
    (value('CR') === 'H' && vc === 'H') ||
    (value('IR') === 'H' && vi === 'H') ||
    (value('AR') === 'H' && va === 'H')
      ? 0
      : 1;
  return [eq1, eq2, eq3, eq4, eq5, eq6];
}

/**
 * Severity levels in steps of 0.1 as whole numbers (0 = most severe), so distances are exact.
 * E takes no part in distances: each EQ5 level holds a single value.
 */
const levels: Record<string, Record<string, number>> = {
  AV: { N: 0, A: 1, L: 2, P: 3 },
  PR: { N: 0, L: 1, H: 2 },
  UI: { N: 0, P: 1, A: 2 },
  AC: { L: 0, H: 1 },
  AT: { N: 0, P: 1 },
  VC: { H: 0, L: 1, N: 2 },
  VI: { H: 0, L: 1, N: 2 },
  VA: { H: 0, L: 1, N: 2 },
  SC: { H: 1, L: 2, N: 3 },
  SI: { S: 0, H: 1, L: 2, N: 3 },
  SA: { S: 0, H: 1, L: 2, N: 3 },
  CR: { H: 0, M: 1, L: 2 },
  IR: { H: 0, M: 1, L: 2 },
  AR: { H: 0, M: 1, L: 2 },
};

/**
 * The highest-severity vectors of each EQ level (the specification's "max composed" vectors); a
 * vector's distance is measured from the first combination it does not exceed in any metric.
 */
const highestVectors = {
  eq1: [
    ['AV:N/PR:N/UI:N'],
    ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'],
    ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P'],
  ],
  eq2: [['AC:L/AT:N'], ['AC:H/AT:N', 'AC:L/AT:P']],
  /** Indexed by EQ3, then EQ6: the two are scored jointly. */
  eq3eq6: [
    [['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'], ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M']],
    [
      ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
      [
        'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H',
        'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M',
        'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M',
        'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H',
        'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M',
      ],
    ],
    [[], ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H']],
  ],
  eq4: [['SC:H/SI:S/SA:S'], ['SC:H/SI:H/SA:H'], ['SC:L/SI:L/SA:L']],
} as const;

/** The depth of each EQ level in steps of 0.1: one more than the largest distance a vector in it can have. */
const depths = {
  eq1: [1, 4, 5],
  eq2: [1, 2],
  eq3eq6: [
    [7, 6],
    [8, 8],
    [Number.NaN, 10],
  ],
  eq4: [6, 5, 4],
} as const;

/** A highest vector's fragment as [metric, level] pairs, read once. */
type LeveledFragment = ReadonlyArray<readonly [string, number]>;

function readFragment(fragment: string): LeveledFragment {
  return fragment.split('/').map((part) => {
    const [metric = '', value = ''] = part.split(':');
    return [metric, levelOf(metric, value)] as const;
  });
}

function levelOf(metric: string, value: string): number {
  const level = levels[metric]?.[value];
  if (level === undefined)
    throw new AdvisoryError('CVSS_INVALID', `no severity level for ${metric}:${value}`);
  return level;
}

const leveledHighest = {
  eq1: highestVectors.eq1.map((list) => list.map(readFragment)),
  eq2: highestVectors.eq2.map((list) => list.map(readFragment)),
  eq3eq6: highestVectors.eq3eq6.map((byEq6) => byEq6.map((list) => list.map(readFragment))),
  eq4: highestVectors.eq4.map((list) => list.map(readFragment)),
};

/** Per-metric distances (in steps) from the first highest vector the scored vector does not exceed. */
function distancesFromHighest(
  metrics: Metrics,
  eq: readonly number[],
): ReadonlyMap<string, number> | undefined {
  const [eq1 = 0, eq2 = 0, eq3 = 0, eq4 = 0, , eq6 = 0] = eq;
  const own = new Map<string, number>();
  for (const metric of Object.keys(levels)) own.set(metric, levelOf(metric, effective(metrics, metric)));
  const candidates = [
    leveledHighest.eq1[eq1] ?? [],
    leveledHighest.eq2[eq2] ?? [],
    leveledHighest.eq3eq6[eq3]?.[eq6] ?? [],
    leveledHighest.eq4[eq4] ?? [],
  ];
  // The specification's order: the first combination (EQ1 outermost) that the vector does not exceed.
  const chosen: LeveledFragment[] = [];
  for (const part of candidates) {
    const fit = part.find((fragment) =>
      fragment.every(([metric, level]) => (own.get(metric) ?? 0) - level >= 0),
    );
    if (!fit) return undefined;
    chosen.push(fit);
  }
  const distances = new Map<string, number>();
  for (const fragment of chosen)
    for (const [metric, level] of fragment) distances.set(metric, (own.get(metric) ?? 0) - level);
  return distances;
}

function sumOf(distances: ReadonlyMap<string, number>, metrics: readonly string[]): number {
  let total = 0;
  for (const metric of metrics) total += distances.get(metric) ?? 0;
  return total;
}

function scoreOf(eq: readonly number[]): number | undefined {
  return macroVectorScores.get(eq.join(''));
}

/** The MacroVector one level lower in position `index` (undefined past the last level). */
function lowered(eq: readonly number[], index: number): number | undefined {
  return scoreOf(eq.map((level, position) => (position === index ? level + 1 : level)));
}

/** Round half up to one decimal; the epsilon absorbs binary floating-point drift (8.25 stored as 8.2499…). */
function roundToOneDecimal(value: number): number {
  return Math.round((value + 1e-6) * 10) / 10;
}

function nomenclatureOf(metrics: Metrics): Cvss4Nomenclature {
  const defined = (names: readonly string[]) => names.some((name) => (metrics.get(name) ?? 'X') !== 'X');
  const threat = defined(Object.keys(threatAllowed));
  const environmental = defined(Object.keys(environmentalAllowed));
  if (threat && environmental) return 'CVSS-BTE';
  if (threat) return 'CVSS-BT';
  if (environmental) return 'CVSS-BE';
  return 'CVSS-B';
}

const maxCachedScores = 10_000;
const scoreCache = new Map<string, Cvss4Score>();

/**
 * The CVSS v4.0 score of a vector, per FIRST's specification: the vector's EQ1–EQ6 levels pick a
 * MacroVector and its score; the score is then lowered in proportion to how far the vector lies
 * below the MacroVector's highest-severity vectors, relative to the score of the next lower
 * MacroVector in each EQ (the mean over the EQs that have one). Threat and environmental metrics
 * take part when present (CVSS-BT, -BE, -BTE); absent ones take the specification's defaults.
 *
 * @example cvss4Score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N').score // 9.3
 */
export function cvss4Score(vector: string): Cvss4Score {
  const cached = scoreCache.get(vector);
  if (cached) return { ...cached };
  const scored = scoreVector(vector);
  // Advisory databases repeat a few thousand vectors many times over; a bounded memo keeps imports fast.
  if (scoreCache.size >= maxCachedScores) scoreCache.clear();
  scoreCache.set(vector, scored);
  return { ...scored };
}

function scoreVector(vector: string): Cvss4Score {
  const metrics = parseCvss4(vector);
  const nomenclature = nomenclatureOf(metrics);
  const eq = equivalenceClasses(metrics);
  const macroVector = eq.join('');
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((metric) => effective(metrics, metric) === 'N')) {
    return { score: 0, nomenclature, macroVector };
  }
  const macroScore = scoreOf(eq);
  const distances = distancesFromHighest(metrics, eq);
  if (macroScore === undefined || distances === undefined) {
    // Unreachable for a valid vector (every combination is covered); kept as a typed error.
    throw new AdvisoryError('CVSS_INVALID', `no CVSS v4.0 MacroVector ${macroVector} for ${vector}`);
  }
  const [eq1, eq2, eq3, eq4, , eq6] = eq;
  // EQ3 and EQ6 are lowered jointly: from 00 either may drop (the higher-scoring one counts).
  let eq3eq6Lower: number | undefined;
  if (eq3 === 0 && eq6 === 0) {
    const viaEq6 = lowered(eq, 5);
    const viaEq3 = lowered(eq, 2);
    eq3eq6Lower = viaEq6 === undefined ? viaEq3 : viaEq3 === undefined ? viaEq6 : Math.max(viaEq6, viaEq3);
  } else if (eq3 === 1 && eq6 === 0) {
    eq3eq6Lower = lowered(eq, 5);
  } else {
    eq3eq6Lower = lowered(eq, 2);
  }
  const parts: Array<{ lower: number | undefined; distance: number; depth: number }> = [
    { lower: lowered(eq, 0), distance: sumOf(distances, ['AV', 'PR', 'UI']), depth: depths.eq1[eq1] ?? 1 },
    { lower: lowered(eq, 1), distance: sumOf(distances, ['AC', 'AT']), depth: depths.eq2[eq2] ?? 1 },
    {
      lower: eq3eq6Lower,
      distance: sumOf(distances, ['VC', 'VI', 'VA', 'CR', 'IR', 'AR']),
      depth: depths.eq3eq6[eq3]?.[eq6] ?? 1,
    },
    { lower: lowered(eq, 3), distance: sumOf(distances, ['SC', 'SI', 'SA']), depth: depths.eq4[eq4] ?? 1 },
    // EQ5 levels hold one value each: its proportion is always 0, but it counts when a lower level exists.
    { lower: lowered(eq, 4), distance: 0, depth: 1 },
  ];
  let lowerCount = 0;
  let total = 0;
  for (const part of parts) {
    if (part.lower === undefined) continue;
    lowerCount++;
    total += (macroScore - part.lower) * (part.distance / part.depth);
  }
  const value = macroScore - (lowerCount === 0 ? 0 : total / lowerCount);
  return { score: roundToOneDecimal(Math.min(10, Math.max(0, value))), nomenclature, macroVector };
}
