import { scanRepositoryOnce } from '../../ecosystems/index.js';
import { findCycle, type ProductId } from '../../end-of-life/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import {
  type AdvisoryDatabaseState,
  findVulnerabilities,
  loadRepositoryAdvisoriesOnce,
} from '../../vulns/index.js';
import type { CollectContext } from '../types.js';

export interface FrameworkUse {
  product: ProductId;
  title: string;
  package: string;
  version: string;
  cycle?: string;
  eol?: string | null;
  location: { path: string; line: number };
}

export interface FlaggedPackage {
  kind: 'malicious' | 'unmaintained';
  name: string;
  version: string;
  id: string;
  location: { path: string; line: number };
}

export interface DependenciesFacts {
  packages: number;
  frameworks: FrameworkUse[];
  flagged: FlaggedPackage[];
  database: AdvisoryDatabaseState;
}

/** The package that carries each framework's version, per ecosystem. */
const frameworkPackages: ReadonlyArray<{
  ecosystem: string;
  name: string;
  product: ProductId;
  title: string;
}> = [
  { ecosystem: 'PyPI', name: 'django', product: 'django', title: 'Django' },
  { ecosystem: 'RubyGems', name: 'rails', product: 'rails', title: 'Ruby on Rails' },
  { ecosystem: 'RubyGems', name: 'railties', product: 'rails', title: 'Ruby on Rails' },
  {
    ecosystem: 'Maven',
    name: 'org.springframework.boot:spring-boot',
    product: 'spring-boot',
    title: 'Spring Boot',
  },
  {
    ecosystem: 'Maven',
    name: 'org.springframework.boot:spring-boot-starter-parent',
    product: 'spring-boot',
    title: 'Spring Boot',
  },
  {
    ecosystem: 'Maven',
    name: 'org.springframework.boot:spring-boot-dependencies',
    product: 'spring-boot',
    title: 'Spring Boot',
  },
  { ecosystem: 'npm', name: '@angular/core', product: 'angular', title: 'Angular' },
];

export async function collectDependencies(
  repository: RepositorySnapshot,
  policy: Policy,
  context: CollectContext,
): Promise<DependenciesFacts> {
  const scan = await scanRepositoryOnce(repository);
  const frameworks: FrameworkUse[] = [];
  const seen = new Set<string>();
  for (const item of scan.packages) {
    const framework = frameworkPackages.find(
      (entry) => entry.ecosystem === item.ecosystem && entry.name === item.name,
    );
    if (!framework) continue;
    const key = `${framework.product}\0${item.version}\0${item.location.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cycle = findCycle(framework.product, item.version);
    frameworks.push({
      product: framework.product,
      title: framework.title,
      package: item.name,
      version: item.version,
      ...(cycle ? { cycle: cycle.cycle, eol: cycle.eol } : {}),
      location: item.location,
    });
  }
  const loaded = await loadRepositoryAdvisoriesOnce(repository, context.now);
  const flagged: FlaggedPackage[] = [];
  for (const finding of findVulnerabilities(scan.packages, loaded.index, {
    now: context.now,
    settings: policy.supplyChain,
  })) {
    if (finding.kind === 'vulnerability' || !finding.package.location) continue;
    flagged.push({
      kind: finding.kind,
      name: finding.package.name,
      version: finding.package.version,
      id: finding.id,
      location: { path: finding.package.location.path, line: finding.package.location.line ?? 1 },
    });
  }
  return { packages: scan.packages.length, frameworks, flagged, database: loaded.state };
}
