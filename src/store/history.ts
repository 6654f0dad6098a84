import type { StatusCounts } from '../kernel/index.js';
import type { AreaTrendEntry, AssessmentSummary } from './store.js';

export type TrendDirection = 'up' | 'down' | 'flat';

/** One area over the window, oldest run first; a run without controls in the area has no counts. */
export interface AreaHistory {
  area: string;
  runs: Array<{ assessmentId: string; startedAt: string; counts?: StatusCounts }>;
  /** Between the first and the last run that had the area: fewer failing controls is up. */
  direction: TrendDirection;
}

export interface HistoryReport {
  repository: string;
  /** The store read, safe to print. */
  store: string;
  /** Newest first. */
  assessments: AssessmentSummary[];
  /** Areas in name order. */
  areas: AreaHistory[];
}

/** Turns what the store returned into the report both formats render. Pure. */
export function buildHistoryReport(input: {
  repository: string;
  store: string;
  assessments: AssessmentSummary[];
  trend: AreaTrendEntry[];
}): HistoryReport {
  const oldestFirst = [...input.trend].reverse();
  const names = new Set<string>();
  for (const entry of oldestFirst) for (const area of Object.keys(entry.areas)) names.add(area);
  const areas: AreaHistory[] = [...names].sort(compareText).map((area) => {
    const runs = oldestFirst.map((entry) => {
      const counts = entry.areas[area];
      return counts === undefined
        ? { assessmentId: entry.assessmentId, startedAt: entry.startedAt }
        : { assessmentId: entry.assessmentId, startedAt: entry.startedAt, counts };
    });
    return { area, runs, direction: trendDirection(runs.flatMap((run) => (run.counts ? [run.counts] : []))) };
  });
  return { repository: input.repository, store: input.store, assessments: input.assessments, areas };
}

/**
 * Compares the first and the last counts: fewer fail + partial is up, more is down; with the same
 * number failing, more passing is up. One run, or no change, is flat.
 */
export function trendDirection(countsOldestFirst: readonly StatusCounts[]): TrendDirection {
  const first = countsOldestFirst[0];
  const last = countsOldestFirst[countsOldestFirst.length - 1];
  if (first === undefined || last === undefined || countsOldestFirst.length < 2) return 'flat';
  const failingBefore = first.fail + first.partial;
  const failingNow = last.fail + last.partial;
  if (failingNow !== failingBefore) return failingNow < failingBefore ? 'up' : 'down';
  if (last.pass !== first.pass) return last.pass > first.pass ? 'up' : 'down';
  return 'flat';
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
