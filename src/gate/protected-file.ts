import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Hands a file the protected policy names to a tool that reads files by path (ssh-keygen's
 * allowed-signers): its bytes (read from the protected commit) in a private temporary folder
 * removed afterwards. No file: `use` gets undefined.
 */
export async function withProtectedFile<T>(
  read: Promise<Buffer> | undefined,
  use: (file: string | undefined) => Promise<T>,
): Promise<T> {
  if (read === undefined) return use(undefined);
  const bytes = await read;
  const folder = await mkdtemp(join(tmpdir(), 'shipguard-gate-'));
  try {
    const file = join(folder, 'protected-file');
    await writeFile(file, bytes, { mode: 0o600 });
    return await use(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
