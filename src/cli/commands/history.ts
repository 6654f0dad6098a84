import { type Command, Option } from 'commander';
import { identifyFolder } from '../../source-control/index.js';
import {
  buildHistoryReport,
  type HistoryReport,
  resolveRepositoryRoot,
  type StoreAccess,
  type TrendDirection,
} from '../../store/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { useColor, writeDiagnostic, writeOutput } from '../output.js';
import { commandStoreAccess } from '../store-access.js';

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
        const root = await resolveRepositoryRoot(path);
        // Keyed by the repository's remote; assessments saved under this clone's path (before
        // repositories had keys) are part of the same history.
        const identity = await identifyFolder(root);
        if (identity.source === 'path' && !globalOptions(command).quiet)
          writeDiagnostic(`history: ${identity.note}`);
        const store = commandStoreAccess(root, options.db);
        let report: HistoryReport;
        try {
          report = await readHistory(store, identity.key, limit, [root]);
        } finally {
          await store.close();
        }
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

/** Reads the history from the command's store; looking at history never creates a store. */
async function readHistory(
  access: StoreAccess,
  repository: string,
  limit: number,
  alsoKnownAs: readonly string[],
): Promise<HistoryReport> {
  const existing = await access.existing();
  if (existing.absent)
    return buildHistoryReport({ repository, store: access.description, assessments: [], trend: [] });
  // A store that exists but cannot be opened is an error the user must see, with its own code.
  const store = existing.store ?? (await access.open());
  const [assessments, trend] = await Promise.all([
    store.listAssessments({ repository, alsoKnownAs, limit }),
    store.areaTrend({ repository, alsoKnownAs, limit }),
  ]);
  return buildHistoryReport({ repository, store: store.location, assessments, trend });
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
