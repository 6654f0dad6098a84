import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';
import { endlessFifo } from '../../testing/endless-fifo.js';
import { runCli } from '../../testing/run-cli.js';

const run = runCli;

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('shipguard ledger', () => {
  it('appends, shows, proves, checkpoints and verifies; names an entry edited in the database', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-ledger-cli-'));
    folders.push(folder);
    const db = join(folder, 'ledger.db');
    const file = (name: string) => join(folder, name);
    writeFileSync(
      file('events.json'),
      JSON.stringify(Array.from({ length: 9 }, (_, i) => ({ type: 'test.event', data: { i } }))),
    );
    const appended = await run('ledger', 'append', file('events.json'), '--db', db);
    expect(appended.code, appended.stderr).toBe(0);
    expect(JSON.parse(appended.stdout)).toMatchObject({ firstIndex: 0, size: 9 });
    writeFileSync(file('forged.json'), '{"type":"change.approved","data":{"change":"CHG-1"}}');
    expect((await run('ledger', 'append', file('forged.json'), '--db', db)).code).toBe(2);
    // Decisions are written by shipguard gate only: a typed-in allow would read like a real one.
    for (const type of ['gate.decided', 'gate.what-if']) {
      writeFileSync(file('decision.json'), JSON.stringify({ type, data: { result: 'allow' } }));
      expect((await run('ledger', 'append', file('decision.json'), '--db', db)).code).toBe(2);
    }
    writeFileSync(file('bad.json'), '{"type":"x"}');
    expect((await run('ledger', 'append', file('bad.json'), '--db', db)).code).toBe(2);

    const shown = await run('ledger', 'show', '--db', db, '--format', 'json');
    expect(JSON.parse(shown.stdout).entries[3]).toMatchObject({ index: 3, data: { i: 3 } });

    expect(
      (await run('ledger', 'proof', '--index', '4', '--db', db, '--out', file('inclusion.json'))).code,
    ).toBe(0);
    expect((await run('ledger', 'verify-inclusion', file('inclusion.json'))).code).toBe(0);
    const proof = JSON.parse(readFileSync(file('inclusion.json'), 'utf8'));
    writeFileSync(file('wrong.json'), JSON.stringify({ ...proof, leafIdx: 5 }));
    const wrong = await run('ledger', 'verify-inclusion', file('wrong.json'));
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('PROOF_INVALID');
    expect(
      (await run('ledger', 'proof', '--from-size', '3', '--db', db, '--out', file('consistency.json'))).code,
    ).toBe(0);
    expect((await run('ledger', 'verify-consistency', file('consistency.json'))).code).toBe(0);
    expect((await run('ledger', 'proof', '--index', '99', '--db', db)).code).toBe(2);

    expect(
      (await run('keys', 'generate', '--type', 'ed25519', '--out-dir', folder, '--name', 'log')).code,
    ).toBe(0);
    const checkpoint = await run(
      'ledger',
      'checkpoint',
      '--key',
      file('log.key'),
      '--origin',
      'test/ledger',
      '--db',
      db,
    );
    expect(checkpoint.code, checkpoint.stderr).toBe(0);
    expect(checkpoint.stdout.split('\n').slice(0, 2)).toEqual(['test/ledger', '9']);

    const state = file('state.json');
    const first = await run('ledger', 'verify', '--db', db, '--state', state);
    expect(first.code, first.stdout).toBe(0);
    // 9 events and the entry recording the checkpoint.
    expect(JSON.parse(readFileSync(state, 'utf8')).size).toBe(10);

    const store = await openStore({ kind: 'sqlite', path: db });
    try {
      await sql`update ledger_entries set entry = replace(entry, '"i":6', '"i":60') where idx = 6`.execute(
        store.db,
      );
    } finally {
      await store.close();
    }
    const tampered = await run('ledger', 'verify', '--db', db, '--state', state);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('LEDGER_TAMPERED (entry 6)');
  });

  it('reads the checkpoint key bounded: a key file that never ends is refused', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-ledger-cli-'));
    folders.push(folder);
    const fifo = endlessFifo(folder, 'log.key');
    try {
      const result = await run('ledger', 'verifier-key', '--key', fifo.path, '--key-name', 'log');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('larger than');
    } finally {
      fifo.stop();
    }
  }, 10_000);

  it('does not report verified when --verifier-key is given but no signed checkpoint is stored', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-ledger-cli-'));
    folders.push(folder);
    const db = join(folder, 'ledger.db');
    writeFileSync(join(folder, 'event.json'), '{"type":"test.event","data":{"i":1}}');
    expect((await run('ledger', 'append', join(folder, 'event.json'), '--db', db)).code).toBe(0);
    expect(
      (await run('keys', 'generate', '--type', 'ed25519', '--out-dir', folder, '--name', 'log')).code,
    ).toBe(0);
    const key = (
      await run('ledger', 'verifier-key', '--key', join(folder, 'log.key'), '--key-name', 'log')
    ).stdout.trim();
    const state = join(folder, 'state.json');
    const unsigned = await run('ledger', 'verify', '--db', db, '--state', state, '--verifier-key', key);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toContain('no stored checkpoint');
    expect(
      (await run('ledger', 'checkpoint', '--key', join(folder, 'log.key'), '--origin', 'log', '--db', db))
        .code,
    ).toBe(0);
    const signed = await run('ledger', 'verify', '--db', db, '--state', state, '--verifier-key', key);
    expect(signed.code, signed.stdout).toBe(0);
  });
});
