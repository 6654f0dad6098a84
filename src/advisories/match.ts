import type { CompareVersions } from '../ecosystems/index.js';
import { compareSemverLike, normalizePypiName, versionOrderFor } from '../ecosystems/index.js';
import type { Advisory, AdvisoryRange, AffectedPackage } from './osv.js';

/** How an ecosystem spells one package name in advisories; comparisons use this key. */
export function packageNameKey(ecosystem: string, name: string): string {
  const base = ecosystem.split(':')[0] ?? ecosystem;
  if (base === 'PyPI') return normalizePypiName(name);
  if (base === 'NuGet' || base === 'Packagist') return name.toLowerCase();
  return name;
}

function compareEvent(compare: CompareVersions, a: string, b: string): number {
  if (a === '0') return b === '0' ? 0 : -1;
  if (b === '0') return 1;
  return compare(a, b);
}

type RangeEvent = { kind: keyof AdvisoryRange['events'][number]; value: string };

/** Each range's events in order, sorted once per range and comparison (ranges are never modified). */
const sortedEvents = new WeakMap<AdvisoryRange, { order: CompareVersions; events: RangeEvent[] }>();

function eventsInOrder(range: AdvisoryRange, order: CompareVersions): RangeEvent[] {
  const known = sortedEvents.get(range);
  if (known && known.order === order) return known.events;
  const events = [...range.events]
    .map((event) => {
      const [kind, value] = Object.entries(event)[0] as [RangeEvent['kind'], string];
      return { kind, value };
    })
    .sort((a, b) => compareEvent(order, a.value, b.value));
  sortedEvents.set(range, { order, events });
  return events;
}

/** Whether `version` falls in one OSV range (the schema's evaluation algorithm). */
export function inRange(version: string, range: AdvisoryRange, compare: CompareVersions): boolean {
  const order = range.type === 'SEMVER' ? compareSemverLike : compare;
  const events = eventsInOrder(range, order);
  // osv.dev: with limits, the version must lie below at least one of them.
  const limits = events.filter((event) => event.kind === 'limit');
  if (limits.length > 0 && !limits.some((limit) => compareEvent(order, version, limit.value) < 0))
    return false;
  let affected = false;
  for (const event of events) {
    const comparison = compareEvent(order, version, event.value);
    if (event.kind === 'introduced' && (event.value === '0' || comparison >= 0)) affected = true;
    else if (event.kind === 'fixed' && comparison >= 0) affected = false;
    else if (event.kind === 'last_affected' && comparison > 0) affected = false;
  }
  return affected;
}

export function isVersionAffected(
  version: string,
  affected: AffectedPackage,
  compare: CompareVersions,
): boolean {
  if (affected.versions.some((listed) => listed === version || compare(listed, version) === 0)) return true;
  return affected.ranges.some((range) => inRange(version, range, compare));
}

export interface PackageMatch {
  advisory: Advisory;
  affected: AffectedPackage;
  /** Human-readable ranges, e.g. `>=2.3.0 <2.31.0`. */
  affectedRanges: string[];
  fixedVersions: string[];
  /** The smallest fixed version above the installed one that no range of this advisory affects. */
  smallestFix?: string;
}

export function describeRange(range: AdvisoryRange): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  for (const event of range.events) {
    if ('introduced' in event && event.introduced !== undefined) {
      if (current.length > 0) parts.push(current.join(' '));
      current = event.introduced === '0' ? [] : [`>=${event.introduced}`];
    } else if (event.fixed !== undefined) {
      current.push(`<${event.fixed}`);
      parts.push(current.join(' ') || `<${event.fixed}`);
      current = [];
    } else if (event.last_affected !== undefined) {
      current.push(`<=${event.last_affected}`);
      parts.push(current.join(' '));
      current = [];
    } else if (event.limit !== undefined) {
      current.push(`<${event.limit}`);
    }
  }
  if (current.length > 0) parts.push(current.join(' '));
  else if (parts.length === 0) parts.push('*');
  return parts;
}

/** Builds the match for an affected entry: fixed versions and the smallest upgrade that fixes. */
export function describeMatch(
  version: string,
  advisory: Advisory,
  affected: AffectedPackage,
  compare: CompareVersions,
): PackageMatch {
  const fixed = new Set<string>();
  for (const range of affected.ranges)
    for (const event of range.events) if (event.fixed !== undefined) fixed.add(event.fixed);
  const order = (a: string, b: string) => compare(a, b);
  const fixedVersions = [...fixed].sort(order);
  const smallestFix = fixedVersions.find(
    (candidate) => compare(candidate, version) > 0 && !isVersionAffected(candidate, affected, compare),
  );
  const match: PackageMatch = {
    advisory,
    affected,
    affectedRanges: [
      ...affected.ranges.flatMap(describeRange),
      ...(affected.versions.length > 0 && affected.ranges.length === 0
        ? [`=${affected.versions.slice(0, 5).join(', =')}${affected.versions.length > 5 ? ', …' : ''}`]
        : []),
    ],
    fixedVersions,
  };
  if (smallestFix !== undefined) match.smallestFix = smallestFix;
  return match;
}

/**
 * Advisories by ecosystem and package name, for matching many packages at once. Withdrawn
 * advisories are kept out; ecosystems shipguard cannot order are skipped (and counted).
 */
export class AdvisoryIndex {
  readonly #byPackage = new Map<string, Array<{ advisory: Advisory; affected: AffectedPackage }>>();
  size = 0;

  constructor(advisories: Iterable<Advisory> = []) {
    for (const advisory of advisories) this.add(advisory);
  }

  add(advisory: Advisory): void {
    if (advisory.withdrawn) return;
    this.size++;
    for (const affected of advisory.affected) {
      const ecosystem = affected.ecosystem.split(':')[0] ?? affected.ecosystem;
      const key = `${ecosystem}\0${packageNameKey(ecosystem, affected.name)}`;
      const list = this.#byPackage.get(key);
      if (list) list.push({ advisory, affected });
      else this.#byPackage.set(key, [{ advisory, affected }]);
    }
  }

  /** Every advisory affecting this package version, one match per advisory. */
  match(ecosystem: string, name: string, version: string): PackageMatch[] {
    const compare = versionOrderFor(ecosystem);
    if (!compare) return [];
    const candidates = this.#byPackage.get(`${ecosystem}\0${packageNameKey(ecosystem, name)}`) ?? [];
    const matches: PackageMatch[] = [];
    const seen = new Set<string>();
    for (const { advisory, affected } of candidates) {
      if (seen.has(advisory.id)) continue;
      let hit = false;
      try {
        hit = isVersionAffected(version, affected, compare);
      } catch {
        hit = false;
      }
      if (!hit) continue;
      seen.add(advisory.id);
      matches.push(describeMatch(version, advisory, affected, compare));
    }
    return matches;
  }
}

const idPreference = ['GHSA-', 'RUSTSEC-', 'GO-', 'PYSEC-', 'MAL-', 'OSV-'];

function preferenceOf(id: string): number {
  const index = idPreference.findIndex((prefix) => id.startsWith(prefix));
  return index === -1 ? (id.startsWith('CVE-') ? idPreference.length + 1 : idPreference.length) : index;
}

/**
 * Merges matches that are the same vulnerability under different ids (an advisory and its
 * aliases, or two advisories sharing a CVE): one group per connected set of ids, the preferred
 * id first (GHSA, then ecosystem databases, then CVE).
 */
export function groupByAliases(matches: readonly PackageMatch[]): PackageMatch[][] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(id, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent.set(rootB, rootA);
  };
  for (const match of matches) {
    find(match.advisory.id);
    for (const alias of match.advisory.aliases) union(match.advisory.id, alias);
  }
  const groups = new Map<string, PackageMatch[]>();
  for (const match of matches) {
    const root = find(match.advisory.id);
    const group = groups.get(root);
    if (group) group.push(match);
    else groups.set(root, [match]);
  }
  return [...groups.values()].map((group) =>
    group.sort(
      (a, b) =>
        preferenceOf(a.advisory.id) - preferenceOf(b.advisory.id) || (a.advisory.id < b.advisory.id ? -1 : 1),
    ),
  );
}
