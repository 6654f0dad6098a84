import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { type LockfileSummary, readLockState, scanRepositoryOnce } from '../../ecosystems/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { describeError, toolVersion } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { renderCycloneDx } from '../../sbom/index.js';
import type { CollectContext } from '../types.js';

export interface SbomFacts {
  lockfiles: LockfileSummary[];
  packages: number;
  /** Lockfiles that could not be read, with where. */
  errors: Array<{ code: string; message: string; path: string; line?: number }>;
  /** SHA-256 of the CycloneDX document built from the lockfiles (fixed timestamp, so it is stable). */
  digest?: string;
  /** SBOM files kept in the repository. */
  committed: string[];
  /** Manifests that declare dependencies no lockfile fixes: an SBOM cannot list their versions. */
  unlocked: string[];
}

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
  };
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
