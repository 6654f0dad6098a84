/** A SQLite store in a fresh temporary folder, for suites that need one file-backed store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../store/index.js';

export interface TemporaryStore {
  store: Store;
  /** Closes the store and removes its folder. */
  remove(): Promise<void>;
}

/** Opens a SQLite store in a new folder named from `prefix` (e.g. `shipguard-flows-`). */
export async function openTemporaryStore(prefix: string): Promise<TemporaryStore> {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  try {
    const store = await openStore({ kind: 'sqlite', path: join(folder, 'store.db') });
    return {
      store,
      async remove() {
        await store.close();
        removeFolder();
      },
    };
  } catch (error) {
    removeFolder();
    throw error;
  }
}
