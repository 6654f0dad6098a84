import {
  endOfLifeDataset,
  findCycle,
  productOfImage,
  productOfPurl,
  supportStatus,
} from '../end-of-life/index.js';
import type { SbomOperatingSystem } from '../sbom/index.js';
import type { CheckedPackage } from './findings.js';

/** A component (a locked package, an SBOM component, an image's operating system) past its end of life. */
export interface EndOfLifeComponent {
  name: string;
  version: string;
  purl?: string;
  location?: { path: string; line?: number };
  product: string;
  title: string;
  cycle: string;
  /** The day standard support ended; `true` when the source gives no day. */
  eol: string | true;
  /** Extended (LTS or paid) support that runs on, when the source names it. */
  extendedUntil?: string;
}

/**
 * The distributions OS packages name in their purl's `distro` qualifier
 * (`pkg:deb/debian/libc6@2.31-13?distro=debian-11` → debian 11), once each: an image SBOM's base
 * system even when it lists no operating-system component.
 */
export function distributionsOf(
  packages: readonly CheckedPackage[],
): Array<SbomOperatingSystem & { location?: { path: string } }> {
  const found = new Map<string, SbomOperatingSystem & { location?: { path: string } }>();
  for (const item of packages) {
    if (found.size >= 20) break;
    const distro = /[?&]distro=([a-z][a-z0-9.]{0,30})-(\d[\w.]{0,30})(?:&|#|$)/i.exec(item.purl);
    if (!distro?.[1] || !distro[2]) continue;
    const key = `${distro[1].toLowerCase()}\0${distro[2]}`;
    if (!found.has(key))
      found.set(key, {
        name: distro[1].toLowerCase(),
        version: distro[2],
        ...(item.location ? { location: { path: item.location.path } } : {}),
      });
  }
  return [...found.values()];
}

/**
 * The components the end-of-life dataset identifies (packages by purl: Django, Angular, Spring
 * Boot, OS packages…; operating systems by name: `debian` `11.9`) whose cycle has ended at `now`.
 */
export function findEndOfLifeComponents(
  packages: readonly CheckedPackage[],
  now: Date,
  operatingSystems: readonly (SbomOperatingSystem & { location?: { path: string } })[] = [],
): EndOfLifeComponent[] {
  const systems = [...operatingSystems, ...distributionsOf(packages)];
  const candidates = [
    ...packages.map((item) => ({ item, product: productOfPurl(item.purl) })),
    ...systems.map((item) => ({
      item,
      product: endOfLifeDataset.products[item.name.toLowerCase()]
        ? item.name.toLowerCase()
        : productOfImage(item.name),
    })),
  ];
  const found: EndOfLifeComponent[] = [];
  const seen = new Set<string>();
  for (const { item, product } of candidates) {
    if (product === undefined) continue;
    const cycle = findCycle(product, item.version);
    if (!cycle || cycle.eol === null || supportStatus(cycle, now, 0) !== 'end-of-life') continue;
    const purl = 'purl' in item && typeof item.purl === 'string' ? item.purl : undefined;
    const key = `${product}\0${cycle.cycle}\0${purl ?? item.name}\0${item.location?.path ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const component: EndOfLifeComponent = {
      name: item.name,
      version: item.version,
      product,
      title: endOfLifeDataset.products[product]?.title ?? product,
      cycle: cycle.cycle,
      eol: cycle.eol,
    };
    if (purl) component.purl = purl;
    if (item.location) component.location = item.location;
    if (typeof cycle.eoes === 'string' && new Date(`${cycle.eoes}T00:00:00Z`) > now)
      component.extendedUntil = cycle.eoes;
    found.push(component);
  }
  return found;
}
