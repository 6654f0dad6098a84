import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { type LockfileSummary, readLockState, scanRepositoryOnce } from '../../ecosystems/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { describeError, toolVersion } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { readSbomPackages, renderCycloneDx } from '../../sbom/index.js';
import type { CollectContext } from '../types.js';

export interface SbomFacts {
  lockfiles: LockfileSummary[];
  packages: number;
  /** Lockfiles that could not be read, with where. */
  errors: Array<{ code: string; message: string; path: string; line?: number }>;
  /** SHA-256 of the CycloneDX document built from the lockfiles (fixed timestamp, so it is stable). */
  digest?: string;
  /** Files kept in the repository under an SBOM's name. */
  committed: string[];
  /** The first of them, read: how many components each lists, or why it is not an SBOM. */
  committedRead: CommittedSbom[];
  /** Manifests that declare dependencies no lockfile fixes: an SBOM cannot list their versions. */
  unlocked: string[];
}

export type CommittedSbom = { path: string; components: number } | { path: string; problem: string };

/** Committed SBOMs read per assessment, and the most read of each. */
const maxCommittedRead = 20;
const maxCommittedBytes = 16 * 1024 * 1024;

const committedSbomPattern = /(?:^|\/)(?:bom|sbom)(?:\.[\w-]+)?\.json$|\.(?:cdx|spdx)\.json$/i;

export async function collectSbom(
  repository: RepositorySnapshot,
  _policy: Policy,
  context: CollectContext,
): Promise<SbomFacts> {
  const scan = await scanRepositoryOnce(repository, context);
  const unlocked = (await readLockState(repository)).manifests
    .filter((manifest) => manifest.state === 'missing')
    .map((manifest) => manifest.manifest);
  const facts: SbomFacts = {
    unlocked,
    lockfiles: scan.lockfiles,
    packages: scan.packages.length,
    errors: scan.errors.map((error) => ({
      code: error.code,
      message: describeError(error),
      path: error.location?.path ?? '',
      ...(error.location?.line === undefined ? {} : { line: error.location.line }),
    })),
    committed: repository.filter(
      (path) => committedSbomPattern.test(path) && !path.includes('node_modules/'),
    ),
    committedRead: [],
  };
  for (const path of facts.committed.slice(0, maxCommittedRead)) {
    facts.committedRead.push(await readCommittedSbom(repository, path));
  }
  if (scan.lockfiles.length > 0) {
    const document = renderCycloneDx({
      name: basename(repository.root),
      packages: scan.packages,
      timestamp: '1970-01-01T00:00:00Z',
      toolVersion,
    });
    facts.digest = createHash('sha256').update(JSON.stringify(document)).digest('hex');
  }
  return facts;
}

/** A file named like an SBOM is evidence only when it is one and lists something. */
async function readCommittedSbom(repository: RepositorySnapshot, path: string): Promise<CommittedSbom> {
  const file = await repository.readText(path, maxCommittedBytes);
  if (!file) return { path, problem: 'could not be read (see the problems list)' };
  if (file.truncated)
    return { path, problem: `is larger than ${maxCommittedBytes} bytes and was not read whole` };
  try {
    const read = readSbomPackages(path, file.text);
    const components = read.packages.length + read.skipped + read.operatingSystems.length;
    return components > 0
      ? { path, components }
      : { path, problem: `is a ${read.format} document that lists no component` };
  } catch (error) {
    return { path, problem: `is not a CycloneDX or SPDX document (${describeError(error)})` };
  }
}
