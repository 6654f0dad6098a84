import { ShipguardError } from './errors.js';

export type CsvErrorCode = 'CSV_MALFORMED' | 'CSV_TOO_LARGE';

/** A CSV file that cannot be read as RFC 4180 text (unclosed quote, too many rows or columns). */
export class CsvError extends ShipguardError<CsvErrorCode> {}

export interface CsvRow {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  /** Cell values by header name, trimmed. */
  values: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

export interface CsvLimits {
  maxBytes?: number;
  maxRows?: number;
  maxColumns?: number;
  maxCellBytes?: number;
}

const defaultLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxRows: 1_000_000,
  maxColumns: 200,
  maxCellBytes: 64 * 1024,
};

/**
 * Parses RFC 4180 CSV (comma-separated, `"` quoting with `""` escapes, CRLF or LF line ends, a
 * header row) in one linear pass with explicit bounds. A byte-order mark is dropped. Empty lines
 * are skipped. A row with more cells than the header is an error naming its line.
 */
export function parseCsv(text: string, path: string, limits: CsvLimits = {}): CsvTable {
  const bounds = { ...defaultLimits, ...limits };
  if (Buffer.byteLength(text, 'utf8') > bounds.maxBytes) {
    throw new CsvError('CSV_TOO_LARGE', `larger than ${bounds.maxBytes} bytes`, { location: { path } });
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let cellStartedQuoted = false;
  const endCell = () => {
    if (cell.length > bounds.maxCellBytes) {
      throw new CsvError('CSV_TOO_LARGE', `a cell is longer than ${bounds.maxCellBytes} characters`, {
        location: { path, line: rowLine },
      });
    }
    cells.push(cell);
    cell = '';
    cellStartedQuoted = false;
    if (cells.length > bounds.maxColumns) {
      throw new CsvError('CSV_TOO_LARGE', `more than ${bounds.maxColumns} columns`, {
        location: { path, line: rowLine },
      });
    }
  };
  const endRow = () => {
    endCell();
    const blank = cells.length === 1 && cells[0] === '' && !cellStartedQuoted;
    if (!blank) records.push({ line: rowLine, cells });
    if (records.length > bounds.maxRows + 1) {
      throw new CsvError('CSV_TOO_LARGE', `more than ${bounds.maxRows} rows`, {
        location: { path, line: rowLine },
      });
    }
    cells = [];
  };
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (quoted) {
      if (char === '"') {
        if (source[index + 1] === '"') {
          cell += '"';
          index += 1;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"') {
      if (cell.trim() !== '') {
        throw new CsvError('CSV_MALFORMED', 'a quote inside an unquoted cell', { location: { path, line } });
      }
      cell = '';
      quoted = true;
      cellStartedQuoted = true;
    } else if (char === ',') {
      endCell();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted)
    throw new CsvError('CSV_MALFORMED', 'a quoted cell is never closed', {
      location: { path, line: rowLine },
    });
  if (cell !== '' || cells.length > 0 || cellStartedQuoted) endRow();
  const [headerRecord, ...body] = records;
  if (!headerRecord)
    throw new CsvError('CSV_MALFORMED', 'the file has no header row', { location: { path } });
  const header = headerRecord.cells.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '' || seen.has(name)) {
      throw new CsvError('CSV_MALFORMED', `header column ${JSON.stringify(name)} is empty or repeated`, {
        location: { path, line: 1 },
      });
    }
    seen.add(name);
  }
  const rows = body.map((record) => {
    if (record.cells.length > header.length) {
      throw new CsvError('CSV_MALFORMED', `${record.cells.length} cells, the header has ${header.length}`, {
        location: { path, line: record.line },
      });
    }
    const values: Record<string, string> = {};
    header.forEach((name, column) => {
      values[name] = (record.cells[column] ?? '').trim();
    });
    return { line: record.line, values };
  });
  return { header, rows };
}
