import { parsePurl } from '../ecosystems/index.js';
import { VulnsError } from './errors.js';

/** One VEX statement, whatever the format: a vulnerability, the products it covers, the verdict. */
export interface VexStatement {
  vulnerability: string;
  /** purls (or bom-refs) the statement covers; a purl without version covers every version. */
  products: string[];
  status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  justification?: string;
  detail?: string;
  /** The document it came from. */
  source: string;
}

const maxVexBytes = 32 * 1024 * 1024;

const cycloneDxStates: Record<string, VexStatement['status']> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 2000) : undefined;
}

/** Reads OpenVEX (0.2) or CycloneDX VEX (a BOM with `vulnerabilities[].analysis`). */
export function parseVex(path: string, content: string): VexStatement[] {
  if (content.length > maxVexBytes)
    throw new VulnsError('VEX_TOO_LARGE', `${path} is larger than ${maxVexBytes} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch (error) {
    throw new VulnsError('VEX_MALFORMED', `${path} is not valid JSON`, { cause: error, location: { path } });
  }
  if (typeof document !== 'object' || document === null)
    throw new VulnsError('VEX_MALFORMED', `${path} is not a JSON object`, { location: { path } });
  const record = document as Record<string, unknown>;
  const statements: VexStatement[] = [];
  if (typeof record['@context'] === 'string' && record['@context'].includes('openvex')) {
    for (const raw of Array.isArray(record['statements']) ? record['statements'] : []) {
      const item = (raw ?? {}) as Record<string, unknown>;
      const vulnerability = item['vulnerability'];
      const name =
        typeof vulnerability === 'string'
          ? vulnerability
          : text((vulnerability as Record<string, unknown> | undefined)?.['name']);
      const aliases = Array.isArray((vulnerability as Record<string, unknown> | undefined)?.['aliases'])
        ? ((vulnerability as Record<string, unknown>)['aliases'] as unknown[]).flatMap(
            (alias) => text(alias) ?? [],
          )
        : [];
      const status = text(item['status']);
      if (
        !name ||
        !status ||
        !['not_affected', 'affected', 'fixed', 'under_investigation'].includes(status)
      ) {
        throw new VulnsError(
          'VEX_MALFORMED',
          `${path}: a statement lacks a vulnerability name or a valid status`,
          { location: { path } },
        );
      }
      const products = (Array.isArray(item['products']) ? item['products'] : []).flatMap((product) => {
        if (typeof product === 'string') return [product];
        const entry = (product ?? {}) as Record<string, unknown>;
        const identifiers = (entry['identifiers'] ?? {}) as Record<string, unknown>;
        return [text(entry['@id']), text(identifiers['purl'])].filter(
          (value): value is string => value !== undefined,
        );
      });
      for (const id of [name, ...aliases]) {
        const statement: VexStatement = {
          vulnerability: id,
          products,
          status: status as VexStatement['status'],
          source: path,
        };
        const justification = text(item['justification']);
        const detail = text(item['impact_statement']) ?? text(item['status_notes']);
        if (justification) statement.justification = justification;
        if (detail) statement.detail = detail;
        statements.push(statement);
      }
    }
    return statements;
  }
  if (record['bomFormat'] === 'CycloneDX') {
    for (const raw of Array.isArray(record['vulnerabilities']) ? record['vulnerabilities'] : []) {
      const item = (raw ?? {}) as Record<string, unknown>;
      const id = text(item['id']);
      const analysis = (item['analysis'] ?? {}) as Record<string, unknown>;
      const state = cycloneDxStates[String(analysis['state'] ?? '')];
      if (!id || !state) continue;
      const products = (Array.isArray(item['affects']) ? item['affects'] : []).flatMap((affect) => {
        const ref = text((affect as Record<string, unknown> | undefined)?.['ref']);
        return ref ? [ref] : [];
      });
      const statement: VexStatement = { vulnerability: id, products, status: state, source: path };
      const justification = text(analysis['justification']);
      const detail = text(analysis['detail']);
      if (justification) statement.justification = justification;
      if (detail) statement.detail = detail;
      statements.push(statement);
    }
    return statements;
  }
  throw new VulnsError('VEX_UNSUPPORTED', `${path} is neither OpenVEX nor CycloneDX VEX`, {
    location: { path },
  });
}

/** Whether a statement's product names this package: the same purl, or the purl without a version. */
function coversPackage(product: string, purl: string): boolean {
  const reference = product.includes('#') ? product.slice(product.indexOf('#') + 1) : product;
  if (reference === purl) return true;
  const wanted = parsePurl(reference);
  const actual = parsePurl(purl);
  if (!wanted || !actual) return false;
  if (
    wanted.type !== actual.type ||
    wanted.name !== actual.name ||
    (wanted.namespace ?? '') !== (actual.namespace ?? '')
  )
    return false;
  return wanted.version === undefined || wanted.version === actual.version;
}

/** The statement for a finding: any of its ids, a product covering the package (or no products). */
export function findVexStatement(
  statements: readonly VexStatement[],
  ids: readonly string[],
  purl: string,
): VexStatement | undefined {
  return statements.find(
    (statement) =>
      ids.includes(statement.vulnerability) &&
      (statement.products.length === 0 || statement.products.some((product) => coversPackage(product, purl))),
  );
}
