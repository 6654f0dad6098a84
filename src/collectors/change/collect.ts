import { existsSync } from 'node:fs';
import type { ChangeRecord } from '../../changes/index.js';
import { listUnreviewedEmergencies } from '../../changes/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { openStore, resolveStoreLocation, type Store } from '../../store/index.js';

export type ChangeFacts =
  | { status: 'no-store'; location: string }
  | { status: 'unreadable'; location: string; problem: string }
  | { status: 'present'; location: string; unreviewedEmergencies: ChangeRecord[] };

/**
 * Reads emergency changes implemented and not yet reviewed from the store at its usual location
 * ($SHIPGUARD_DB, else .shipguard/shipguard.db at the repository root). Never creates a store.
 */
export async function collectChanges(
  repository: RepositorySnapshot,
  _policy?: unknown,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChangeFacts> {
  let location: ReturnType<typeof resolveStoreLocation>;
  try {
    location = resolveStoreLocation({ env, repositoryRoot: repository.root, cwd: process.cwd() });
  } catch (error) {
    return {
      status: 'unreadable',
      location: 'SHIPGUARD_DB',
      problem: error instanceof Error ? error.message : String(error),
    };
  }
  const display = location.kind === 'sqlite' ? location.path : 'postgres';
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    return { status: 'no-store', location: display };
  }
  let store: Store | undefined;
  try {
    store = await openStore(location, { busyTimeoutMs: 2_000, connectTimeoutMs: 3_000 });
    return {
      status: 'present',
      location: store.location,
      unreviewedEmergencies: await listUnreviewedEmergencies(store),
    };
  } catch (error) {
    return {
      status: 'unreadable',
      location: display,
      problem: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await store?.close();
  }
}
