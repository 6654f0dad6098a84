/**
 * The advisory data for a set of packages, with its coverage per ecosystem: which ecosystems the
 * store holds records of, and how old the sources holding them are. An ecosystem with no record
 * is not "no known vulnerability": it is unknown.
 */
import type { Store } from '../store/index.js';
import { loadAdvisoriesFor, sourcesByEcosystem } from './database.js';
import { AdvisoryIndex } from './match.js';
import { advisoryStatus, type SourceAge } from './sync.js';

export interface EcosystemCoverage {
  /** Sources holding records of the ecosystem. */
  sources: string[];
  /** Days since the oldest of them was last confirmed current. */
  ageDays: number;
}

export interface AdvisoryData {
  sources: SourceAge[];
  /** Per ecosystem of the packages: its coverage, or undefined when no record of it is stored. */
  coverage: Record<string, EcosystemCoverage | undefined>;
  index: AdvisoryIndex;
}

/** Reads the advisories naming these packages and the coverage of their ecosystems. No network. */
export async function readAdvisoryData(
  store: Store,
  packages: ReadonlyArray<{ ecosystem: string; name: string }>,
  now: Date,
): Promise<AdvisoryData> {
  const sources = await advisoryStatus(store, now);
  const ecosystems = [...new Set(packages.map((item) => item.ecosystem))].sort();
  const holding = await sourcesByEcosystem(store, ecosystems);
  const coverage: Record<string, EcosystemCoverage | undefined> = {};
  for (const ecosystem of ecosystems) {
    const names = holding.get(ecosystem) ?? [];
    const ages = sources.filter((source) => names.includes(source.source)).map((source) => source.ageDays);
    coverage[ecosystem] = ages.length === 0 ? undefined : { sources: names, ageDays: Math.max(...ages) };
  }
  return { sources, coverage, index: new AdvisoryIndex(await loadAdvisoriesFor(store, packages)) };
}
