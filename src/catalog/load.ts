import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Document, isMap, isNode, isSeq, LineCounter } from 'yaml';
import type { z } from 'zod';
import { parseYamlDocument } from '../kernel/index.js';
import { CatalogError } from './errors.js';
import { Catalog } from './schema.js';

export { type FrameworkCoverage, type FrameworkItemCoverage, frameworkCoverage } from './coverage.js';

/** The catalog is ours and small; anything far larger is not a catalog. */
const maxCatalogBytes = 1024 * 1024;

let cachedCatalog: Catalog | undefined;

/**
 * The control catalog shipped beside this module (src/ in development, dist/ once built), parsed
 * and validated once per process.
 */
export function loadCatalog(): Catalog {
  if (cachedCatalog) return cachedCatalog;
  cachedCatalog = readCompiledCatalog() ?? loadCatalogYaml();
  return cachedCatalog;
}

function loadCatalogYaml(): Catalog {
  const path = fileURLToPath(new URL('./controls.yaml', import.meta.url));
  return parseCatalog(readCatalogText(path), path);
}

/**
 * The catalog as the build validated it (scripts/compile-catalog.mjs writes controls.json beside
 * the built module); undefined in src/, where the YAML is read and checked.
 */
function readCompiledCatalog(): Catalog | undefined {
  let text: string;
  try {
    text = readFileSync(fileURLToPath(new URL('./controls.json', import.meta.url)), 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text) as Catalog;
}

function readCatalogText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogError('CATALOG_UNREADABLE', `cannot read the control catalog: ${path}`, {
      cause: error,
      location: { path },
    });
  }
}

/**
 * Parses and validates catalog text. Every failure is a CatalogError naming `path`, the line and
 * the key (e.g. `controls[3].mappings.iso27001[0]`), so a broken edit is found at once.
 */
export function parseCatalog(text: string, path: string): Catalog {
  if (text.length > maxCatalogBytes) {
    throw new CatalogError('CATALOG_TOO_LARGE', `the catalog is larger than ${maxCatalogBytes} bytes`, {
      location: { path },
    });
  }
  const lineCounter = new LineCounter();
  const document = parseYamlDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    throw new CatalogError('CATALOG_SYNTAX', `invalid YAML: ${syntaxError.message}`, {
      cause: syntaxError,
      location: { path, line: lineCounter.linePos(syntaxError.pos[0]).line },
    });
  }
  const data = toPlainData(document, path);
  const result = Catalog.safeParse(data);
  if (!result.success) throw invalidCatalogError(result.error, data, { document, lineCounter, path });
  assertUniqueIds(result.data, { document, lineCounter, path });
  return result.data;
}

interface ParsedSource {
  document: Document;
  lineCounter: LineCounter;
  path: string;
}

function toPlainData(document: Document, path: string): unknown {
  try {
    // The catalog needs no aliases; refusing them rules out alias-expansion attacks.
    return document.toJS({ maxAliasCount: 0 });
  } catch (error) {
    throw new CatalogError('CATALOG_SYNTAX', 'the catalog must not use YAML aliases', {
      cause: error,
      location: { path },
    });
  }
}

function invalidCatalogError(error: z.ZodError, data: unknown, source: ParsedSource): CatalogError {
  const [issue, ...others] = error.issues;
  if (!issue)
    return new CatalogError('CATALOG_INVALID', 'the catalog is invalid', { location: { path: source.path } });
  const keyPath: PropertyKey[] = [...issue.path];
  // For an unknown key, point at the key itself rather than at the object holding it.
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) keyPath.push(issue.keys[0]);
  const key = formatKeyPath(keyPath);
  const control = controlIdAt(data, keyPath);
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})` : '';
  const location = withLine(source.path, lineOfKeyPath(source, keyPath));
  return new CatalogError(
    'CATALOG_INVALID',
    `${key}${control ? ` (${control})` : ''}: ${issue.message}${more}`,
    { cause: error, location, key },
  );
}

function assertUniqueIds(catalog: Catalog, source: ParsedSource): void {
  const seen = new Set<string>();
  for (const [index, control] of catalog.controls.entries()) {
    if (seen.has(control.id)) {
      const keyPath = ['controls', index, 'id'];
      throw new CatalogError('CATALOG_DUPLICATE_ID', `control id ${control.id} is used more than once`, {
        location: withLine(source.path, lineOfKeyPath(source, keyPath)),
        key: formatKeyPath(keyPath),
      });
    }
    seen.add(control.id);
  }
}

function withLine(path: string, line: number | undefined): { path: string; line?: number } {
  return line === undefined ? { path } : { path, line };
}

/** The line of the deepest node on `keyPath` that exists (a missing key points at its parent). */
export function lineOfKeyPath(source: ParsedSource, keyPath: readonly PropertyKey[]): number | undefined {
  let node: unknown = source.document.contents;
  let line = lineOfNode(node, source.lineCounter);
  for (const key of keyPath) {
    if (!(isMap(node) || isSeq(node)) || typeof key === 'symbol') break;
    const child: unknown = node.get(key, true);
    if (child === undefined) break;
    node = child;
    line = lineOfNode(node, source.lineCounter) ?? line;
  }
  return line;
}

function lineOfNode(node: unknown, lineCounter: LineCounter): number | undefined {
  if (!isNode(node) || !node.range) return undefined;
  return lineCounter.linePos(node.range[0]).line;
}

/** `['controls', 3, 'mappings', 'ssdf', 0]` → `controls[3].mappings.ssdf[0]`. */
export function formatKeyPath(keyPath: readonly PropertyKey[]): string {
  let text = '';
  for (const key of keyPath) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(top level)' : text;
}

/** The id of the control an issue is in, when the path leads into one and it has an id. */
function controlIdAt(data: unknown, keyPath: readonly PropertyKey[]): string | undefined {
  const [first, index] = keyPath;
  if (first !== 'controls' || typeof index !== 'number') return undefined;
  if (typeof data !== 'object' || data === null || !('controls' in data)) return undefined;
  if (!Array.isArray(data.controls)) return undefined;
  const control: unknown = data.controls[index];
  if (typeof control !== 'object' || control === null || !('id' in control)) return undefined;
  return typeof control.id === 'string' ? control.id : undefined;
}
