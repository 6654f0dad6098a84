import { parse as parseToml } from 'smol-toml';
import { parseYamlValue } from '../kernel/index.js';
import { EcosystemError, malformedLockfile } from './errors.js';

/** Lockfiles larger than this are refused (LOCKFILE_TOO_LARGE) rather than read into memory. */
export const maxLockfileBytes = 64 * 1024 * 1024;

export function checkLockfileSize(path: string, text: string): void {
  if (text.length > maxLockfileBytes) {
    throw new EcosystemError('LOCKFILE_TOO_LARGE', `${path} is larger than ${maxLockfileBytes} bytes`, {
      location: { path },
    });
  }
}

/** Maps character offsets to 1-based line numbers in O(log n). */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      this.#starts.push(index + 1);
    }
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}

/**
 * Finds the lines of keys that appear in file order (JSON object keys, YAML mapping keys).
 * Each search starts where the previous one matched, so a whole lockfile is scanned once.
 * Searches that miss (a needle anchored on a newline in minified JSON, a key out of order) scan
 * text without moving the cursor; their total is bounded by a budget proportional to the file,
 * after which lines are reported as 1, so that locating stays linear on any input.
 */
export class KeyLocator {
  readonly #text: string;
  readonly #lines: LineIndex;
  #cursor = 0;
  #missBudget: number;
  readonly #absent = new Set<string>();

  constructor(text: string) {
    this.#text = text;
    this.#lines = new LineIndex(text);
    this.#missBudget = 8 * text.length + 1024 * 1024;
  }

  /** The line of the first of `needles` found after the cursor (or anywhere), else 1. */
  line(...needles: string[]): number {
    for (const needle of needles) {
      if (this.#missBudget <= 0 || this.#absent.has(needle)) continue;
      let offset = this.#text.indexOf(needle, this.#cursor);
      if (offset === -1) {
        this.#missBudget -= this.#text.length - this.#cursor;
        if (this.#missBudget <= 0) continue;
        offset = this.#text.indexOf(needle);
        this.#missBudget -= offset === -1 ? this.#cursor : offset;
        if (offset === -1) this.#absent.add(needle);
      }
      if (offset !== -1) {
        this.#cursor = offset + needle.length;
        // A needle anchored on the newline before a key names the key's own line.
        return this.#lines.lineOf(needle.startsWith('\n') ? offset + 1 : offset);
      }
    }
    return 1;
  }
}

export function parseJsonLockfile(path: string, text: string): unknown {
  checkLockfileSize(path, text);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1];
    const position = /position (\d+)/.exec(message)?.[1];
    const offset = position !== undefined ? Number(position) : findJsonErrorOffset(text);
    const where =
      line !== undefined
        ? Number(line)
        : offset !== undefined
          ? new LineIndex(text).lineOf(offset)
          : undefined;
    throw malformedLockfile(path, `not valid JSON (${message})`, where, error);
  }
}

export function parseTomlLockfile(path: string, text: string): Record<string, unknown> {
  checkLockfileSize(path, text);
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const line = (error as { line?: unknown }).line;
    throw malformedLockfile(
      path,
      `not valid TOML (${(error as Error).message.split('\n')[0] ?? ''})`,
      typeof line === 'number' ? line : undefined,
      error,
    );
  }
}

export function parseYamlLockfile(path: string, text: string): unknown {
  checkLockfileSize(path, text);
  let document: unknown;
  try {
    document = parseYamlValue(text, { maxAliasCount: 1000, uniqueKeys: false });
  } catch (error) {
    const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw malformedLockfile(
      path,
      `not valid YAML (${(error as Error).message.split('\n')[0] ?? ''})`,
      line,
      error,
    );
  }
  if (holdsMergeKey(document)) {
    const at = /(^|[\s{,])<<\s*:/m.exec(text);
    const line = at === null ? undefined : text.slice(0, at.index + (at[1] ?? '').length).split('\n').length;
    throw malformedLockfile(
      path,
      'a YAML merge key (<<): a package manager reading YAML 1.1 merges its entries in, YAML 1.2 does not, so what the lockfile locks cannot be told',
      line,
    );
  }
  return document;
}

/**
 * Whether any mapping has a `<<` key. No package manager writes one; read as YAML 1.2 (here) it is
 * a plain key, while a YAML 1.1 reader (js-yaml) merges it: packages could hide behind it.
 */
function holdsMergeKey(document: unknown): boolean {
  const seen = new Set<object>();
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
      continue;
    }
    if (Object.hasOwn(value, '<<')) return true;
    for (const item of Object.values(value)) pending.push(item);
  }
  return false;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The lines of each `[[package]]` table header in a TOML lockfile, in order. */
export function tomlTableLines(text: string, header: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const current = text.slice(start, end === -1 ? text.length : end).trim();
    if (current === header) lines.push(line);
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  return lines;
}

/** The folder of a repository-relative path, '' at the root. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * Where JSON.parse gave up, for the messages that do not say (V8's "Unexpected token"): a scan of
 * the JSON grammar that stops at the first character that cannot continue the document.
 */
export function findJsonErrorOffset(text: string): number | undefined {
  let index = 0;
  const skipSpace = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index] as string)) index++;
  };
  const fail = (): never => {
    throw index;
  };
  const value = (depth: number): void => {
    if (depth > 1_000) fail();
    skipSpace();
    const character = text[index];
    if (character === '{' || character === '[') {
      const close = character === '{' ? '}' : ']';
      index++;
      skipSpace();
      if (text[index] === close) {
        index++;
        return;
      }
      for (;;) {
        if (close === '}') {
          skipSpace();
          if (text[index] !== '"') fail();
          string();
          skipSpace();
          if (text[index] !== ':') fail();
          index++;
        }
        value(depth + 1);
        skipSpace();
        if (text[index] === ',') {
          index++;
          continue;
        }
        if (text[index] === close) {
          index++;
          return;
        }
        fail();
      }
    }
    if (character === '"') {
      string();
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(index, index + 400),
    );
    if (!literal) fail();
    index += (literal as RegExpExecArray)[0].length;
  };
  const string = (): void => {
    index++;
    while (index < text.length) {
      const character = text[index];
      if (character === '\\') index += 2;
      else if (character === '"') {
        index++;
        return;
      } else if (character !== undefined && character < ' ') fail();
      else index++;
    }
    fail();
  };
  try {
    value(0);
    skipSpace();
    return index < text.length ? index : undefined;
  } catch (offset) {
    return typeof offset === 'number' ? Math.min(offset, text.length) : undefined;
  }
}
