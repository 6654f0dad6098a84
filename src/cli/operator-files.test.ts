import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBaseline } from '../secrets/index.js';
import { endlessFifo } from '../testing/endless-fifo.js';
import { readBoundedFile } from './commands/people.js';

/** Files an operator names on the command line are read bounded: one that never ends is refused. */
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function endless(name: string) {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-operator-files-'));
  folders.push(folder);
  // More than the largest bound below, so only a bounded read stops.
  return endlessFifo(folder, name, 80 * 1024 * 1024);
}

describe('files named by the operator', () => {
  it('refuses a secrets baseline that never ends', async () => {
    const fifo = endless('baseline.json');
    try {
      await expect(readBaseline(fifo.path)).rejects.toMatchObject({ code: 'INPUT_FILE_TOO_LARGE' });
    } finally {
      fifo.stop();
    }
  }, 20_000);

  it('refuses a roster, bundle or public key that never ends', async () => {
    const fifo = endless('roster.csv');
    try {
      await expect(readBoundedFile(fifo.path)).rejects.toMatchObject({ code: 'INPUT_FILE_TOO_LARGE' });
    } finally {
      fifo.stop();
    }
  }, 20_000);
});
