import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { endlessFifo } from '../testing/endless-fifo.js';
import { readIdToken } from './id-token.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('readIdToken', () => {
  it('reads a token file bounded: one that never ends is refused', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-id-token-'));
    folders.push(folder);
    const fifo = endlessFifo(folder, 'token');
    try {
      await expect(readIdToken(fifo.path)).rejects.toMatchObject({ code: 'USAGE_INVALID_OPTION' });
    } finally {
      fifo.stop();
    }
  }, 10_000);
});
