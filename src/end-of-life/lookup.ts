import { endOfLifeDataset } from './dataset.js';
import type { EndOfLifeDataset, Milestone, ProductId, ReleaseCycle, VersionScheme } from './schema.js';

export type SupportStatus = 'supported' | 'ending-soon' | 'end-of-life' | 'unknown';

const dayMs = 86_400_000;
/** Longer strings are not versions anyone writes; refusing them keeps parsing cheap. */
const maxVersionLength = 100;

/**
 * The release cycle a declared version belongs to, e.g. `v20.11.1` → Node.js `20`,
 * `3.2-slim` → Ruby `3.2`, `lts/iron` → Node.js `20`, `bullseye` → Debian `11`. Undefined when
 * the version cannot be read (`latest`, `${VERSION}`), the product is unknown, or the dataset has
 * no such cycle. A version is tried as `major.minor`, then as `major`, so products whose naming
 * changed over time (PostgreSQL `9.6` then `10`) are found either way.
 *
 * @example findCycle('python', '>=3.11,<4')?.eol // '2027-10-31'
 */
export function findCycle(
  product: ProductId,
  version: string,
  dataset: EndOfLifeDataset = endOfLifeDataset,
): ReleaseCycle | undefined {
  const entry = dataset.products[product];
  if (!entry) return undefined;
  const read = readVersion(product, version, entry.cycles);
  if (read === undefined) return undefined;
  if (typeof read !== 'object') return entry.cycles.find((cycle) => cycle.cycle === read);
  for (const key of cycleKeys(product, entry.scheme, read)) {
    const found = entry.cycles.find((cycle) => cycle.cycle === key);
    if (found) return found;
  }
  return undefined;
}

/**
 * Reduces a version as people write it (ranges, prefixes, image tag suffixes, codenames) to the
 * name of its release cycle in the product's scheme; undefined when it cannot.
 * Ranges are read by their lower bound, the oldest version they allow.
 */
export function normalizeVersion(
  product: ProductId,
  version: string,
  scheme: VersionScheme | undefined = endOfLifeDataset.products[product]?.scheme,
  cycles: readonly ReleaseCycle[] = endOfLifeDataset.products[product]?.cycles ?? [],
): string | undefined {
  const read = readVersion(product, version, cycles);
  if (read === undefined || typeof read !== 'object') return read;
  const resolved = scheme ?? 'major.minor';
  // `3` is no Python cycle: a major alone does not name a major.minor cycle.
  if (resolved === 'major.minor' && read.minor === undefined && product !== 'dotnet') return undefined;
  if (resolved === 'major') return String(read.major);
  return cycleKeys(product, resolved, read)[1] ?? cycleKeys(product, resolved, read)[0];
}

interface VersionNumbers {
  major: number;
  minor?: number;
  /** The minor as written, leading zeros kept (`2018.03`, Docker `19.03`). */
  minorText?: string;
}

/** A cycle name when the version is a codename, the leading numbers otherwise. */
function readVersion(
  product: ProductId,
  version: string,
  cycles: readonly ReleaseCycle[],
): string | VersionNumbers | undefined {
  if (version.length > maxVersionLength) return undefined;
  let text = version
    .trim()
    .toLowerCase()
    .replace(/^['"]|['"]$/g, '');
  text = (text.split('||')[0] ?? '').trim();
  // An upper bound alone says nothing about the oldest version in use.
  if (text.startsWith('<')) return undefined;
  text = text.replace(/^[\s>=~^!]+/, '');
  text = text.split(/[\s,;]/)[0] ?? '';
  text = text.replace(/^lts\//, '');

  const codename = /^[a-z]+/.exec(text)?.[0];
  if (codename !== undefined) {
    const named = cycles.find((cycle) => cycle.codename === codename);
    if (named) return named.cycle;
  }
  text = stripPrefix(product, text);

  const match = /^(\d{1,4})(?:\.(\d{1,4}))?/.exec(text);
  if (!match?.[1]) return undefined;
  let major = Number(match[1]);
  const minorText = match[2];
  // Java 8 and older were written 1.8.
  if (product === 'java' && major === 1 && minorText !== undefined) {
    major = Number(minorText);
    return { major };
  }
  return minorText === undefined ? { major } : { major, minor: Number(minorText), minorText };
}

/** The cycle names a version may belong to, most specific first. */
function cycleKeys(
  product: ProductId,
  scheme: VersionScheme,
  { major, minor, minorText }: VersionNumbers,
): string[] {
  if (scheme === 'year.month')
    return minor === undefined ? [] : [`${major}.${String(minor).padStart(2, '0')}`];
  // .NET 5 and later only have x.0 releases, so `8` means `8.0`.
  if (minor === undefined && product === 'dotnet' && major >= 5) return [`${major}.0`];
  if (minor === undefined) return [String(major)];
  const keys = [
    `${major}.${minorText}`,
    `${major}.${minor}`,
    `${major}.${String(minor).padStart(2, '0')}`,
    String(major),
  ];
  return [...new Set(keys)];
}

function stripPrefix(product: ProductId, text: string): string {
  if (product === 'go' && text.startsWith('go')) return text.slice(2);
  if (product === 'dotnet') return text.replace(/^(netcoreapp|net)(?=\d)/, '');
  // `v20.1.0`, and tool-manager spellings such as `temurin-17.0.1`, `python-3.11.4`, `ruby-3.2.2`.
  return text.replace(/^v(?=\d)/, '').replace(/^[a-z][a-z0-9]{0,30}-(?=\d)/, '');
}

/**
 * Whether a release cycle is supported at `now`: `ending-soon` when its end of life is within
 * `warningDays`, `unknown` when there is no cycle. A cycle without an end date is supported.
 */
export function supportStatus(
  cycle: ReleaseCycle | undefined,
  now: Date,
  warningDays: number,
): SupportStatus {
  if (!cycle) return 'unknown';
  return milestoneStatus(cycle.eol, now, warningDays);
}

/**
 * Whether a support milestone (`eol`, `eoas`, `eoes`) has passed at `now`; `true` means it has,
 * on a day the source does not give, and null or absent that no end is set.
 */
export function milestoneStatus(
  milestone: Milestone | undefined,
  now: Date,
  warningDays: number,
): Exclude<SupportStatus, 'unknown'> {
  if (milestone === null || milestone === undefined) return 'supported';
  if (milestone === true) return 'end-of-life';
  const remaining = daysBetween(now, new Date(`${milestone}T00:00:00Z`));
  if (remaining <= 0) return 'end-of-life';
  if (remaining <= warningDays) return 'ending-soon';
  return 'supported';
}

/** Whole days since the dataset was compiled; negative when `now` is before it. */
export function datasetAge(now: Date, dataset: Pick<EndOfLifeDataset, 'asOf'> = endOfLifeDataset): number {
  return Math.floor(daysBetween(new Date(`${dataset.asOf}T00:00:00Z`), now));
}

function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / dayMs;
}
