import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicySource } from './protected-policy.js';

/**
 * Hands a file the protected policy names to a tool that reads files by path (ssh-keygen's
 * allowed-signers): its bytes at the protected commit, in a private temporary folder removed
 * afterwards. No path: `use` gets undefined.
 */
export async function withProtectedFile<T>(
  source: PolicySource,
  path: string | undefined,
  maxBytes: number,
  use: (file: string | undefined) => Promise<T>,
): Promise<T> {
  if (path === undefined) return use(undefined);
  const bytes = await source.readFile(path, maxBytes);
  const folder = await mkdtemp(join(tmpdir(), 'shipguard-gate-'));
  try {
    const file = join(folder, 'protected-file');
    await writeFile(file, bytes, { mode: 0o600 });
    return await use(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
