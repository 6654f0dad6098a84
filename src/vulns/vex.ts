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
  /** Its position in the document: the statements one OpenVEX statement makes (one per alias) share it. */
  index?: number;
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
    for (const [statementIndex, raw] of (Array.isArray(record['statements'])
      ? record['statements']
      : []
    ).entries()) {
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
      const products = openVexProducts(item);
      for (const id of [name, ...aliases]) {
        const statement: VexStatement = {
          vulnerability: id,
          products,
          status: status as VexStatement['status'],
          source: path,
          index: statementIndex,
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
    const purlsByRef = componentPurls(record);
    for (const [statementIndex, raw] of (Array.isArray(record['vulnerabilities'])
      ? record['vulnerabilities']
      : []
    ).entries()) {
      const item = (raw ?? {}) as Record<string, unknown>;
      const id = text(item['id']);
      const analysis = (item['analysis'] ?? {}) as Record<string, unknown>;
      const state = cycloneDxStates[String(analysis['state'] ?? '')];
      if (!id || !state) continue;
      const products = (Array.isArray(item['affects']) ? item['affects'] : []).flatMap((affect) => {
        const ref = text((affect as Record<string, unknown> | undefined)?.['ref']);
        if (!ref) return [];
        // A bom-ref, or a BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`), names a component of
        // the BOM: the statement covers that component's package URL.
        const local = ref.includes('#') ? ref.slice(ref.indexOf('#') + 1) : ref;
        return [purlsByRef.get(ref) ?? purlsByRef.get(local) ?? ref];
      });
      const statement: VexStatement = {
        vulnerability: id,
        products,
        status: state,
        source: path,
        index: statementIndex,
      };
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

/** The identifiers of an OpenVEX product entry: a string, or an object's `@id` and `identifiers.purl`. */
function openVexIds(product: unknown): string[] {
  if (typeof product === 'string') return product.length > 0 ? [product.slice(0, 2000)] : [];
  const entry = (product ?? {}) as Record<string, unknown>;
  const identifiers = (entry['identifiers'] ?? {}) as Record<string, unknown>;
  return [text(entry['@id']), text(identifiers['purl'])].filter(
    (value): value is string => value !== undefined,
  );
}

/**
 * What an OpenVEX statement covers. A product with `subcomponents` (an image, an application)
 * speaks of those components inside it, so the statement covers the subcomponents, which are the
 * packages a scan finds; a product without them covers itself. Statement-level `subcomponents`
 * (OpenVEX before 0.2) count the same way.
 */
function openVexProducts(statement: Record<string, unknown>): string[] {
  const covered: string[] = [];
  const legacy = Array.isArray(statement['subcomponents']) ? statement['subcomponents'] : [];
  for (const product of Array.isArray(statement['products']) ? statement['products'] : []) {
    const subcomponents =
      typeof product === 'object' &&
      product !== null &&
      Array.isArray((product as Record<string, unknown>)['subcomponents'])
        ? ((product as Record<string, unknown>)['subcomponents'] as unknown[])
        : [];
    if (subcomponents.length > 0 || legacy.length > 0) {
      for (const component of [...subcomponents, ...legacy]) covered.push(...openVexIds(component));
    } else {
      covered.push(...openVexIds(product));
    }
  }
  if (covered.length === 0) for (const component of legacy) covered.push(...openVexIds(component));
  return [...new Set(covered)].slice(0, 10_000);
}

/** bom-ref → package URL for every component of a CycloneDX BOM (nested ones too, bounded). */
function componentPurls(bom: Record<string, unknown>): Map<string, string> {
  const purls = new Map<string, string>();
  const metadata = (bom['metadata'] ?? {}) as Record<string, unknown>;
  const pending: unknown[] = [
    metadata['component'],
    ...(Array.isArray(bom['components']) ? bom['components'] : []),
  ];
  let visited = 0;
  while (pending.length > 0 && visited < 100_000) {
    visited += 1;
    const component = pending.pop() as Record<string, unknown> | undefined;
    if (typeof component !== 'object' || component === null) continue;
    const ref = text(component['bom-ref']);
    const purl = text(component['purl']);
    if (ref && purl) purls.set(ref, purl);
    if (Array.isArray(component['components'])) pending.push(...component['components']);
  }
  return purls;
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

/** A VEX statement that covered no finding: named so a typo in an id or a purl is seen. */
export interface UnmatchedVexStatement {
  source: string;
  /** The statement's vulnerability and its aliases. */
  vulnerabilities: string[];
  products: string[];
  status: VexStatement['status'];
}

/**
 * The statements that match no finding: their vulnerability is not found, or not in the packages
 * they name. A statement made under several aliases counts once, matched if any alias matched.
 */
export function vexStatementsMatchingNothing(
  statements: readonly VexStatement[],
  findings: ReadonlyArray<{ ids: readonly string[]; purl: string }>,
): UnmatchedVexStatement[] {
  const groups = new Map<string, VexStatement[]>();
  for (const [position, statement] of statements.entries()) {
    const key = `${statement.source}\0${statement.index ?? `#${position}`}`;
    groups.set(key, [...(groups.get(key) ?? []), statement]);
  }
  const unmatched: UnmatchedVexStatement[] = [];
  for (const group of groups.values()) {
    const matched = group.some((statement) =>
      findings.some((finding) => findVexStatement([statement], finding.ids, finding.purl) !== undefined),
    );
    const first = group[0];
    if (matched || !first) continue;
    unmatched.push({
      source: first.source,
      vulnerabilities: group.map((statement) => statement.vulnerability),
      products: first.products,
      status: first.status,
    });
  }
  return unmatched;
}
