import { type LockfilesFacts, readLockState } from '../../ecosystems/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';

export type { LockfileIntegrity, LockfilesFacts, ManifestLock } from '../../ecosystems/index.js';

export function collectLockfiles(repository: RepositorySnapshot): Promise<LockfilesFacts> {
  return readLockState(repository);
}
