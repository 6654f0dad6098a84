import { parseCsv } from '../kernel/index.js';
import { buildRecord, kindOf, type RecordDocument } from './document.js';
import { RecordError } from './errors.js';

export interface CsvImportOptions {
  /** Record field → column name, overriding the kind's defaults (`--map person=Employee ID`). */
  columns?: Readonly<Record<string, string>>;
  /** Who performed each activity, when no column says it; default: the row's person. */
  performedBy?: string;
  now: Date;
}

/** The record field whose date is the record's effective date, per kind. */
const effectiveField: Readonly<Record<string, string>> = {
  training: 'completed',
  'policy-acknowledgement': 'acknowledged',
};

/** Parses `key=value` mapping options (`--map person=Employee ID`). */
export function parseColumnMap(pairs: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0 || equals === pair.length - 1)
      throw new RecordError('IMPORT_INVALID', `--map takes field=column, not ${JSON.stringify(pair)}`);
    map[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return map;
}

/**
 * Turns an LMS or HR export into records of one kind. Every row is checked first; if any is bad
 * the import is refused naming each bad row's line, so nothing is half imported.
 */
export function recordsFromCsv(
  kind: string,
  text: string,
  path: string,
  options: CsvImportOptions,
): RecordDocument[] {
  const definition = kindOf(kind);
  if (!definition.csvColumns || !definition.fromCsv) {
    throw new RecordError(
      'IMPORT_INVALID',
      `${kind} records are not imported from CSV; use records add ${kind} --file`,
    );
  }
  const columns: Record<string, string> = { ...definition.csvColumns, ...(options.columns ?? {}) };
  for (const field of Object.keys(options.columns ?? {})) {
    if (!Object.hasOwn(definition.csvColumns, field))
      throw new RecordError(
        'IMPORT_INVALID',
        `${kind} has no field ${field}; fields: ${Object.keys(definition.csvColumns).join(', ')}`,
      );
  }
  const table = parseCsv(text, path);
  const needed = Object.entries(columns).filter(([, column]) => !table.header.includes(column));
  const requiredMissing = needed.filter(([field]) =>
    ['person', 'completed', 'trainingKind', 'course', 'policy', 'version', 'acknowledged'].includes(field),
  );
  if (requiredMissing.length > 0) {
    throw new RecordError(
      'IMPORT_INVALID',
      `${path}: no column ${requiredMissing.map(([field, column]) => `${JSON.stringify(column)} (for ${field})`).join(', ')}; name it with --map field=column`,
      { location: { path, line: 1 } },
    );
  }
  const records: RecordDocument[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const values: Record<string, string> = {};
    for (const [field, column] of Object.entries(columns)) {
      const value = row.values[column];
      if (value !== undefined) values[field] = value;
    }
    try {
      const data = definition.fromCsv(values) as Record<string, unknown>;
      const effective = String(data[effectiveField[kind] ?? 'effective'] ?? row.values['effective'] ?? '');
      const performer = row.values['performed_by'] || options.performedBy || String(data['person'] ?? '');
      const document = buildRecord(
        kind,
        { effective, performedBy: performer, data },
        [],
        options.now,
        `line ${row.line}`,
      );
      const earlier = seen.get(document.id);
      if (earlier !== undefined)
        throw new RecordError('IMPORT_INVALID', `the same record as line ${earlier}`);
      seen.set(document.id, row.line);
      records.push(document);
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(/^line \d+: /, '') : String(error);
      problems.push(`line ${row.line}: ${message}`);
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 50).join('\n  ');
    const more = problems.length > 50 ? `\n  … and ${problems.length - 50} more` : '';
    throw new RecordError(
      'IMPORT_INVALID',
      `${path}: ${problems.length} bad row(s); nothing was imported:\n  ${shown}${more}`,
      {
        location: { path, line: Number(/^line (\d+)/.exec(problems[0] ?? '')?.[1] ?? 1) },
      },
    );
  }
  return records;
}
