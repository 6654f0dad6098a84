/**
 * A full disk during an append: the append fails with a located error and leaves the log as it
 * was, so it still verifies. A real SQLite file on a real 1 MB filesystem (tmpfs; mounting needs
 * root, and the test says so and is skipped without it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import { LedgerError } from './errors.js';
import { appendEvents, readHead, verifyLedger } from './ledger.js';

const folder = mkdtempSync(join(tmpdir(), 'shipguard-disk-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', folder], { stdio: 'ignore' });
  mounted = true;
} catch {
  process.stderr.write('disk-full test skipped: mounting a tmpfs needs root\n');
}

describe.skipIf(!mounted)('ledger append on a full disk', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path: join(folder, 'store.db') });
  });
  afterAll(async () => {
    await store?.close().catch(() => {});
    execFileSync('umount', [folder]);
    rmSync(folder, { recursive: true, force: true });
  });

  it('fails with LEDGER_WRITE_FAILED naming the store, appends nothing, and the log still verifies', async () => {
    const batch = Array.from({ length: 50 }, (_, index) => ({
      type: 'test.filler',
      data: { index, text: 'x'.repeat(2000) },
    }));
    let failure: unknown;
    let appended = 0;
    for (let attempt = 0; attempt < 100 && failure === undefined; attempt++) {
      try {
        appended = (await appendEvents(store, batch)).size;
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(LedgerError);
    expect((failure as LedgerError).code).toBe('LEDGER_WRITE_FAILED');
    expect((failure as Error).message).toContain(join(folder, 'store.db'));
    expect((failure as Error).message).toContain('nothing was appended');
    expect((await readHead(store)).size).toBe(appended);
    const verified = await verifyLedger(store);
    expect(verified.problem).toBeUndefined();
    expect(verified.size).toBe(appended);
  });
});

if (!mounted) rmSync(folder, { recursive: true, force: true });
