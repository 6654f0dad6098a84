import { scanRepositoryOnce } from '../../ecosystems/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { describeError } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { noStoreAccess } from '../../store/index.js';
import {
  type AdvisoryDatabaseState,
  computePatchLatency,
  loadAdvisoryData,
  lockfileCacheOf,
  type PatchLatency,
  readLockfileHistory,
} from '../../vulns/index.js';
import type { CollectContext } from '../types.js';

export interface PatchLatencyFacts {
  isGitRepository: boolean;
  lockfiles: string[];
  database: AdvisoryDatabaseState;
  latency?: PatchLatency;
  problem?: string;
}

/** Lockfile commits read in an assessment; `shipguard vulns` can read more. */
const maxCommits = 100;

export async function collectPatchLatency(
  repository: RepositorySnapshot,
  policy: Policy,
  context: CollectContext,
): Promise<PatchLatencyFacts> {
  const scan = await scanRepositoryOnce(repository, context);
  const lockfiles = scan.lockfiles.map((lockfile) => lockfile.path);
  const facts: PatchLatencyFacts = {
    isGitRepository: repository.isGitRepository,
    lockfiles,
    database: { status: 'absent', location: '', sources: [], coverage: {} },
  };
  if (!repository.isGitRepository || lockfiles.length === 0) return facts;
  try {
    const store = context.store ?? noStoreAccess();
    const cache = await lockfileCacheOf(store);
    const history = await readLockfileHistory(repository.root, lockfiles, {
      maxCommits,
      maxBytes: 128 * 1024 * 1024,
      ...(cache ? { cache } : {}),
    });
    const names = new Map<string, { ecosystem: string; name: string }>();
    for (const entry of history)
      for (const item of entry.packages ?? []) names.set(`${item.ecosystem}\0${item.name}`, item);
    const loaded = await loadAdvisoryData(store, [...names.values()], {
      now: context.now,
    });
    facts.database = loaded.state;
    if (loaded.state.status === 'present')
      facts.latency = computePatchLatency(history, loaded.index, policy.supplyChain);
  } catch (error) {
    facts.problem = describeError(error);
  }
  return facts;
}
