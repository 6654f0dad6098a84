import { createHash } from 'node:crypto';
import type { LockedPackage } from '../ecosystems/index.js';

/** What both SBOM formats render: the subject and its packages, deduplicated by purl. */
export interface SbomInput {
  /** The project the SBOM describes (the repository folder name). */
  name: string;
  version?: string;
  packages: readonly LockedPackage[];
  /** ISO-8601; injected so output is reproducible (default: SOURCE_DATE_EPOCH, else now). */
  timestamp: string;
  toolVersion: string;
  /** Overrides the content-derived serial number / namespace id. */
  serialNumber?: string;
}

export interface SbomComponent {
  ref: string;
  package: LockedPackage;
  /** All lockfile places the package was found (a package can be locked by several lockfiles). */
  occurrences: Array<{ path: string; line: number }>;
  dependsOn: string[];
  direct: boolean;
}

/** Deduplicates by purl, merges locations, resolves dependency keys to refs; sorted by purl. */
export function buildComponents(packages: readonly LockedPackage[]): SbomComponent[] {
  const byPurl = new Map<string, SbomComponent>();
  const refByKey = new Map<string, string>();
  for (const item of packages) {
    refByKey.set(`${item.ecosystem}\0${item.name}@${item.version}`, item.purl);
    const existing = byPurl.get(item.purl);
    if (existing) {
      existing.occurrences.push(item.location);
      existing.direct ||= item.direct;
      continue;
    }
    byPurl.set(item.purl, {
      ref: item.purl,
      package: item,
      occurrences: [item.location],
      dependsOn: [],
      direct: item.direct,
    });
  }
  for (const item of packages) {
    const component = byPurl.get(item.purl);
    if (!component) continue;
    for (const key of item.dependencies ?? []) {
      const ref = refByKey.get(`${item.ecosystem}\0${key}`);
      if (ref && ref !== component.ref && !component.dependsOn.includes(ref)) component.dependsOn.push(ref);
    }
  }
  const components = [...byPurl.values()].sort((a, b) => compareText(a.ref, b.ref));
  for (const component of components) {
    component.dependsOn.sort(compareText);
    component.occurrences.sort((a, b) => compareText(a.path, b.path) || a.line - b.line);
  }
  return components;
}

/** A UUID (version and variant bits set) from the SHA-256 of the content: same input, same id. */
export function contentUuid(content: string): string {
  const hex = createHash('sha256').update(content).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const sriAlgorithms: Record<string, { cyclonedx: string; spdx: string; bytes: number }> = {
  sha1: { cyclonedx: 'SHA-1', spdx: 'SHA1', bytes: 20 },
  sha256: { cyclonedx: 'SHA-256', spdx: 'SHA256', bytes: 32 },
  sha384: { cyclonedx: 'SHA-384', spdx: 'SHA384', bytes: 48 },
  sha512: { cyclonedx: 'SHA-512', spdx: 'SHA512', bytes: 64 },
};

/**
 * A lockfile integrity value as a hex digest: SRI (`sha512-<base64>`) or `alg:<hex>`.
 * Undefined for what is not a file digest (Go's `h1:` directory hash, Yarn cache keys).
 */
export function integrityDigest(
  integrity: string | undefined,
): { cyclonedx: string; spdx: string; hex: string } | undefined {
  if (!integrity) return undefined;
  const first = integrity.split(/\s+/)[0] ?? '';
  const sri = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(first);
  const prefixed = /^(sha1|sha256|sha384|sha512):([0-9a-fA-F]+)$/.exec(first);
  const algorithm = sriAlgorithms[(sri ?? prefixed)?.[1] ?? ''];
  if (!algorithm) return undefined;
  const hex = sri ? Buffer.from(sri[2] ?? '', 'base64').toString('hex') : (prefixed?.[2] ?? '').toLowerCase();
  if (hex.length !== algorithm.bytes * 2) return undefined;
  return { cyclonedx: algorithm.cyclonedx, spdx: algorithm.spdx, hex };
}

/** Timestamp for an SBOM: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
export function sbomTimestamp(env: NodeJS.ProcessEnv, now: Date = new Date()): string {
  const epoch = env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && /^\d{1,12}$/.test(epoch))
    return new Date(Number(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
