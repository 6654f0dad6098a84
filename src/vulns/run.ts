import { stat } from 'node:fs/promises';
import { scanRepository } from '../ecosystems/index.js';
import type { ShipguardError } from '../kernel/index.js';
import { RepositorySnapshot, readInputFile } from '../kernel/index.js';
import type { SupplyChainSettings } from '../policy/index.js';
import { maxSbomBytes, readSbomPackages, SbomError, type SbomOperatingSystem } from '../sbom/index.js';
import { resolveRepositoryRoot, type StoreAccess } from '../store/index.js';
import { loadAdvisoryData } from './database-access.js';
import { findEndOfLifeComponents } from './end-of-life.js';
import { type CheckedPackage, findVulnerabilities } from './findings.js';
import { lockfileCacheOf } from './lockfile-cache.js';
import { computePatchLatency, type PatchLatency, readLockfileHistory } from './patch-latency.js';
import type { VulnsReport } from './render.js';
import { parseVex, type VexStatement, vexStatementsMatchingNothing } from './vex.js';

export interface RunVulnsOptions {
  /** The command's store, where the advisory data is (opened by the CLI, closed by it). */
  store: StoreAccess;
  /** Also measure time-to-remediate from the lockfiles' git history (this many lockfile commits). */
  historyCommits?: number;
  vexFiles?: readonly string[];
  settings: SupplyChainSettings;
  now?: Date;
}

/** Packages from a repository's lockfiles, or from a CycloneDX / SPDX JSON SBOM file. */
const maxVexBytes = 64 * 1024 * 1024;

export async function readSubjectPackages(subject: string): Promise<{
  packages: CheckedPackage[];
  root: string;
  errors: ShipguardError[];
  /** An SBOM's operating-system components (an image's base system). */
  operatingSystems?: Array<SbomOperatingSystem & { location: { path: string } }>;
}> {
  const info = await stat(subject);
  if (!info.isDirectory()) {
    const text = (await readInputFile(subject, 'SBOM', { maxBytes: maxSbomBytes })).toString('utf8');
    const read = readSbomPackages(subject, text);
    // A component without a usable purl was not checked: an error, so that "0 packages checked"
    // can never pass for a clean SBOM.
    const errors: ShipguardError[] =
      read.skipped === 0
        ? []
        : [
            new SbomError(
              'SBOM_MALFORMED',
              `${subject}: ${read.skipped} component(s) have no valid package URL and were not checked`,
              { location: { path: subject } },
            ),
          ];
    return {
      packages: read.packages.map((item) => ({ ...item, location: { path: subject } })),
      root: await resolveRepositoryRoot('.'),
      errors,
      operatingSystems: read.operatingSystems.map((item) => ({ ...item, location: { path: subject } })),
    };
  }
  const repository = await RepositorySnapshot.open(subject);
  const scan = await scanRepository(repository);
  return {
    packages: scan.packages.map((item) => ({
      ecosystem: item.ecosystem,
      name: item.name,
      version: item.version,
      purl: item.purl,
      direct: item.direct,
      location: item.location,
    })),
    root: repository.root,
    errors: scan.errors,
  };
}

export async function runVulns(
  subject: string,
  options: RunVulnsOptions,
): Promise<{ report: VulnsReport; errors: ShipguardError[] }> {
  const now = options.now ?? new Date();
  const { packages, root, errors, operatingSystems } = await readSubjectPackages(subject);
  const vex: VexStatement[] = [];
  for (const file of options.vexFiles ?? []) {
    const text = (await readInputFile(file, 'VEX document', { maxBytes: maxVexBytes })).toString('utf8');
    for (const statement of parseVex(file, text)) vex.push(statement);
  }
  const loaded = await loadAdvisoryData(options.store, packages, { now });
  const findings = findVulnerabilities(packages, loaded.index, { now, settings: options.settings, vex });
  const endOfLife = findEndOfLifeComponents(packages, now, operatingSystems);
  // Without advisory data nothing is found, so no statement can be told unmatched.
  const vexUnmatched =
    loaded.state.status === 'present'
      ? vexStatementsMatchingNothing(
          vex,
          findings.map((finding) => ({ ids: [finding.id, ...finding.aliases], purl: finding.package.purl })),
        )
      : [];
  const maxAgeDays = options.settings.advisoryDatabaseMaxAgeDays;
  let patchLatency: PatchLatency | undefined;
  const lockfiles = [
    ...new Set(
      packages.flatMap((item) => (item.location && !subject.endsWith('.json') ? [item.location.path] : [])),
    ),
  ];
  if (options.historyCommits !== undefined && lockfiles.length > 0) {
    const cache = await lockfileCacheOf(options.store);
    const history = await readLockfileHistory(root, lockfiles, {
      maxCommits: options.historyCommits,
      ...(cache ? { cache } : {}),
    });
    const names = new Map<string, { ecosystem: string; name: string }>();
    for (const entry of history)
      for (const item of entry.packages ?? []) names.set(`${item.ecosystem}\0${item.name}`, item);
    const historical = await loadAdvisoryData(options.store, [...names.values()], { now });
    patchLatency = computePatchLatency(history, historical.index, options.settings);
  }
  const stale =
    loaded.state.status !== 'present' ||
    loaded.state.ageDays === undefined ||
    loaded.state.ageDays > maxAgeDays;
  return {
    report: {
      subject,
      packages: packages.length,
      database: loaded.state,
      stale,
      maxAgeDays,
      findings,
      ...(vexUnmatched.length > 0 ? { vexUnmatched } : {}),
      ...(endOfLife.length > 0 ? { endOfLife } : {}),
      ...(patchLatency ? { patchLatency } : {}),
    },
    errors,
  };
}
