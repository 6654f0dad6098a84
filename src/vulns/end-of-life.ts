import { endOfLifeDataset, findCycle, productOfPurl, supportStatus } from '../end-of-life/index.js';
import type { CheckedPackage } from './findings.js';

/** A package (from a lockfile or an SBOM component) whose release cycle is past its end of life. */
export interface EndOfLifeComponent {
  package: CheckedPackage;
  product: string;
  title: string;
  cycle: string;
  /** The day standard support ended; `true` when the source gives no day. */
  eol: string | true;
  /** Extended (LTS or paid) support that runs on, when the source names it. */
  extendedUntil?: string;
}

/**
 * The packages the end-of-life dataset identifies by purl (Django, Angular, Spring Boot, OS
 * packages of a base image…) whose cycle has ended at `now`.
 */
export function findEndOfLifeComponents(
  packages: readonly CheckedPackage[],
  now: Date,
): EndOfLifeComponent[] {
  const found: EndOfLifeComponent[] = [];
  const seen = new Set<string>();
  for (const item of packages) {
    const product = productOfPurl(item.purl);
    if (product === undefined) continue;
    const cycle = findCycle(product, item.version);
    if (!cycle || cycle.eol === null || supportStatus(cycle, now, 0) !== 'end-of-life') continue;
    const key = `${product}\0${cycle.cycle}\0${item.purl}\0${item.location?.path ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const component: EndOfLifeComponent = {
      package: item,
      product,
      title: endOfLifeDataset.products[product]?.title ?? product,
      cycle: cycle.cycle,
      eol: cycle.eol,
    };
    if (typeof cycle.eoes === 'string' && new Date(`${cycle.eoes}T00:00:00Z`) > now)
      component.extendedUntil = cycle.eoes;
    found.push(component);
  }
  return found;
}
