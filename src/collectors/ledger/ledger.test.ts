import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { appendEvents } from '../../ledger/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { createStoreAccess, openStore, type Store } from '../../store/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { ledgerConsistent } from './checks.js';
import { collectLedger } from './collect.js';

async function judge(prepare?: (store: Store) => Promise<void>) {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-ledger-collector-'));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, 'store.db');
  if (prepare) {
    const store = await openStore({ kind: 'sqlite', path });
    await prepare(store);
    await store.close();
  }
  const access = createStoreAccess({ kind: 'sqlite', path });
  const facts = await collectLedger(access);
  await access.close();
  return ledgerConsistent.evaluate(facts, defaultPolicy(), { now: testNow });
}

const events = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ type: 'test.event', data: { name: `e${index}` } }));

describe('ledger/consistent', () => {
  it('passes a ledger that verifies, naming its size and root', async () => {
    const result = await judge((store) => appendEvents(store, events(5)).then(() => undefined));
    expect(result.status).toBe('pass');
    expect(result.evidence[0]).toMatchObject({ kind: 'record', level: 'verified' });
    expect(result.summary).toContain('5 entries');
  });

  it('fails a ledger whose entry was edited in the database', async () => {
    const result = await judge(async (store) => {
      await appendEvents(store, events(5));
      await sql`update ledger_entries set entry = replace(entry, '"e3"', '"e3-forged"') where idx = 3`.execute(
        store.db,
      );
    });
    expect(result.status).toBe('fail');
    expect(result.findings[0]?.message).toContain('LEDGER_TAMPERED');
  });

  it('is unknown with no store (and creates none) and with an empty ledger', async () => {
    const missing = await judge();
    expect(missing.status).toBe('unknown');
    expect(missing.howToProvide).toContain('SHIPGUARD_DB');
    const empty = await judge(async () => undefined);
    expect(empty.status).toBe('unknown');
    expect(empty.summary).toContain('holds no entry');
  });
});
