import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { StatusCounts } from '../../kernel/index.js';
import {
  type AreaTrendEntry,
  type AssessmentSummary,
  describeStoreLocation,
  openStore,
  resolveRepositoryRoot,
  resolveStoreLocation,
  StoreError,
  type StoreLocation,
} from '../../store/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { useColor, writeOutput } from '../output.js';

const historyFormats = ['table', 'json'] as const;
type HistoryFormat = (typeof historyFormats)[number];

interface HistoryOptions {
  db?: string;
  limit: string;
  format: HistoryFormat;
  out?: string;
}

const defaultLimit = 10;
const maxLimit = 1_000;

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description('list past assessments of a repository, newest first, and the trend per area')
    .argument('[path]', 'the repository (or any folder) whose history to show', '.')
    .option(
      '--db <location>',
      'store: a SQLite file, :memory: or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option('-n, --limit <n>', `how many past assessments to show (1-${maxLimit})`, String(defaultLimit))
    .addOption(new Option('-f, --format <format>', 'output format').choices(historyFormats).default('table'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  shipguard history                        the last ${defaultLimit} assessments of this repository
  shipguard history ../service -n 30       a longer window
  shipguard history --format json --db postgres://shipguard@db.internal/shipguard`,
    )
    .action(
      action(async (path: string, options: HistoryOptions, command: Command) => {
        const limit = parseLimit(options.limit);
        const repository = await resolveRepositoryRoot(path);
        const location = resolveLocation(options.db, repository);
        const report = await readHistory(location, repository, limit);
        const color = options.out === undefined && useColor(globalOptions(command).color);
        const text =
          options.format === 'json' ? renderHistoryJson(report) : renderHistoryTable(report, { color });
        await writeOutput(text, options.out === undefined ? {} : { out: options.out });
        return exitCodes.ok;
      }),
    );
}

function parseLimit(text: string): number {
  const limit = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `--limit must be a whole number from 1 to ${maxLimit}, not "${text}"`,
    );
  }
  return limit;
}

function resolveLocation(db: string | undefined, repositoryRoot: string): StoreLocation {
  try {
    return resolveStoreLocation({
      ...(db === undefined ? {} : { db }),
      env: process.env,
      repositoryRoot,
      cwd: process.cwd(),
    });
  } catch (error) {
    // A wrong --db or SHIPGUARD_DB is the user's to fix: exit 2, not 3.
    if (error instanceof StoreError && error.code === 'STORE_INVALID_LOCATION') {
      throw new UsageError('USAGE_INVALID_OPTION', error.message, { cause: error });
    }
    throw error;
  }
}

async function readHistory(
  location: StoreLocation,
  repository: string,
  limit: number,
): Promise<HistoryReport> {
  const store = describeStoreLocation(location);
  // Looking at history must not create a store where none was ever written.
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    return buildHistoryReport({ repository, store, assessments: [], trend: [] });
  }
  const opened = await openStore(location);
  try {
    const [assessments, trend] = await Promise.all([
      opened.listAssessments({ repository, limit }),
      opened.areaTrend({ repository, limit }),
    ]);
    return buildHistoryReport({ repository, store: opened.location, assessments, trend });
  } finally {
    await opened.close();
  }
}

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

export function renderHistoryJson(report: HistoryReport): string {
  return `${JSON.stringify({ schemaVersion: 1, ...report }, null, 2)}\n`;
}

const arrows: Record<TrendDirection, string> = { up: '↑', down: '↓', flat: '→' };
const directionWords: Record<TrendDirection, string> = { up: 'better', down: 'worse', flat: 'same' };
const colors: Record<TrendDirection, string> = { up: '\u001b[32m', down: '\u001b[31m', flat: '' };

/** The terminal view: a table of assessments, then one line per area. Pure. */
export function renderHistoryTable(report: HistoryReport, options: { color: boolean }): string {
  const repository = printable(report.repository);
  const store = printable(report.store);
  if (report.assessments.length === 0) {
    return `No assessments of ${repository} are stored in ${store}.\nRun \`shipguard assess\` to record one.\n`;
  }
  const lines: string[] = [`Assessments of ${repository} (store: ${store}), newest first`, ''];
  const rows = report.assessments.map((summary) => [
    formatTime(summary.startedAt),
    summary.commit === undefined ? '-' : printable(summary.commit.slice(0, 7)),
    summary.branch === undefined ? '-' : printable(summary.branch),
    String(summary.summary.fail),
    String(summary.summary.partial),
    String(summary.summary.unknown),
    String(summary.summary.pass),
    String(summary.summary['not-applicable']),
  ]);
  lines.push(
    ...formatTable(['DATE (UTC)', 'COMMIT', 'BRANCH', 'FAIL', 'PARTIAL', 'UNKNOWN', 'PASS', 'N/A'], rows, [
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]),
  );
  if (report.areas.length > 0) {
    const runs = report.areas[0]?.runs.length ?? 0;
    lines.push(
      '',
      `Trend per area over the last ${runs} ${runs === 1 ? 'assessment' : 'assessments'} (oldest first)`,
      '',
    );
    const areaRows = report.areas.map((area) => [
      printable(area.area),
      area.runs.map((run) => (run.counts ? String(run.counts.pass) : '-')).join(' '),
      area.runs.map((run) => (run.counts ? String(run.counts.fail + run.counts.partial) : '-')).join(' '),
      `${arrows[area.direction]} ${directionWords[area.direction]}`,
    ]);
    const table = formatTable(['AREA', 'PASS', 'FAIL+PARTIAL', 'TREND'], areaRows, [
      false,
      false,
      false,
      false,
    ]);
    lines.push(table[0] ?? '');
    report.areas.forEach((area, index) => {
      const line = table[index + 1] ?? '';
      const color = colors[area.direction];
      lines.push(options.color && color !== '' ? colorLastColumn(line, areaRows[index], color) : line);
    });
  }
  return `${lines.join('\n')}\n`;
}

function colorLastColumn(line: string, row: string[] | undefined, color: string): string {
  const last = row?.[row.length - 1];
  if (last === undefined || !line.endsWith(last)) return line;
  return `${line.slice(0, line.length - last.length)}${color}${last}\u001b[0m`;
}

/** Left- or right-aligned columns two spaces apart, without trailing spaces. */
function formatTable(headers: string[], rows: string[][], alignRight: boolean[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const formatRow = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const padding = ' '.repeat(Math.max(0, (widths[column] ?? 0) - [...cell].length));
        return alignRight[column] ? `${padding}${cell}` : `${cell}${padding}`;
      })
      .join('  ')
      .trimEnd();
  return [formatRow(headers), ...rows.map(formatRow)];
}

/** `2026-06-01T12:34:56.000Z` → `2026-06-01 12:34`. */
function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : printable(iso);
}

/** Stored text reaches a terminal: control characters could rewrite the screen. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
