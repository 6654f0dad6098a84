import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreLocation } from '../store/index.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import { canonicalize } from './canonical-json.js';
import { verifyCheckpoint } from './checkpoint.js';
import * as ledger from './ledger.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.js';

function events(count: number, prefix = 'e') {
  return Array.from({ length: count }, (_, index) => ({
    type: 'test.event',
    data: { name: `${prefix}${index}` },
  }));
}

// One suite, run against each store implementation.
function describeLedgerSuite(name: string, backend: StoreBackend): void {
  describe(`ledger on ${name}`, () => {
    const opened: Store[] = [];
    let location: StoreLocation;

    async function open(): Promise<Store> {
      const store = await openStore(location, { busyTimeoutMs: 10_000 });
      opened.push(store);
      return store;
    }

    beforeAll(async () => {
      location = await backend.createLocation();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await backend.removeLocation?.(location);
      location = await backend.createLocation();
    });

    it('appends canonical entries and serves proofs that verify', async () => {
      const store = await open();
      const first = await ledger.appendEvents(store, events(20));
      expect(first).toMatchObject({ firstIndex: 0, size: 20 });
      const second = await ledger.appendToLedger(store, { type: 'gate.decided', data: { allow: false } });
      expect(second.firstIndex).toBe(20);
      for (const more of [3, 1, 12]) await ledger.appendEvents(store, events(more, `m${more}-`));
      const head = await ledger.readHead(store);
      expect(head.size).toBe(37);
      const [entry] = await ledger.readEntries(store, 20, 1);
      expect(entry?.entry).toBe(canonicalize(JSON.parse(entry?.entry ?? 'null')));
      expect(JSON.parse(entry?.entry ?? '{}')).toMatchObject({
        index: 20,
        type: 'gate.decided',
        data: { allow: false },
      });
      expect(entry?.leafHash).toBe(hashLeaf(Buffer.from(entry?.entry ?? '')).toString('hex'));
      for (let index = 0; index < head.size; index += 1) {
        verifyInclusion(await ledger.proveInclusion(store, index));
      }
      verifyInclusion(await ledger.proveInclusion(store, 4, 9));
      for (const size1 of [1, 2, 7, 8, 20, 21, 36, 37])
        verifyConsistency(await ledger.proveConsistency(store, size1));
      expect((await ledger.verifyLedger(store)).problem).toBeUndefined();
    });

    it('serves correct proofs from a store rewritten underneath its cached upper levels', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(40));
      for (let index = 0; index < 40; index += 1) verifyInclusion(await ledger.proveInclusion(store, index));

      // Another connection replaces the whole log with different entries of the same size.
      const other = await open();
      await sql`delete from ledger_entries`.execute(other.db);
      await sql`delete from ledger_nodes`.execute(other.db);
      await sql`update ledger_head set size = 0`.execute(other.db);
      await ledger.appendEvents(other, events(40, 'replaced-'));
      const head = await ledger.readHead(other);
      for (const index of [0, 17, 39]) {
        const proof = await ledger.proveInclusion(store, index);
        expect(Buffer.from(proof.root)).toEqual(Buffer.from(head.root));
        const [row] = await ledger.readEntries(other, index, 1);
        expect(Buffer.from(proof.leafHash).toString('hex')).toBe(row?.leafHash);
        verifyInclusion(proof);
      }
    });

    it('refuses to serve a proof from stored nodes that do not lead to the stored root', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(40));
      await sql`update ledger_nodes set hash = ${'00'.repeat(32)} where level = 2 and idx = 1`.execute(
        store.db,
      );
      const fresh = await open();
      await expect(ledger.proveInclusion(fresh, 0)).rejects.toMatchObject({ code: 'LEDGER_TAMPERED' });
      verifyInclusion(await ledger.proveInclusion(fresh, 39));
    });

    it('rejects bad events with EVENT_INVALID and appends nothing', async () => {
      const store = await open();
      await expect(ledger.appendEvents(store, [{ type: 'Bad Type', data: {} }])).rejects.toMatchObject({
        code: 'EVENT_INVALID',
      });
      await expect(
        ledger.appendEvents(store, [...events(2), { type: 'x', data: { n: Number.NaN } }]),
      ).rejects.toMatchObject({
        code: 'CANONICAL_JSON_INVALID',
      });
      expect((await ledger.readHead(store)).size).toBe(0);
    });

    it('loses nothing when two store instances append at once, and both see the same tree', async () => {
      const a = await open();
      const b = await open();
      const writers = [a, b].map(async (store, writer) => {
        for (let round = 0; round < 15; round += 1) {
          await ledger.appendEvents(store, events(round % 3 === 0 ? 5 : 1, `w${writer}r${round}-`));
        }
      });
      await Promise.all(writers);
      const headA = await ledger.readHead(a);
      const headB = await ledger.readHead(b);
      expect(headA.size).toBe(2 * (5 * 5 + 10));
      expect(Buffer.from(headB.root).toString('hex')).toBe(Buffer.from(headA.root).toString('hex'));
      const verification = await ledger.verifyLedger(b);
      expect(verification.problem).toBeUndefined();
      expect(Buffer.from(verification.root)).toEqual(Buffer.from(headA.root));
      const names = new Set(
        (await ledger.readEntries(a, 0, 1000)).map((row) => JSON.parse(row.entry).data.name),
      );
      expect(names.size).toBe(70);
    });

    it('names the entry when a row is edited, deleted or reordered in the database', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(12));
      const edited = (await ledger.readEntries(store, 5, 1))[0]?.entry.replace('"e5"', '"e5-forged"') ?? '';
      await sql`update ledger_entries set entry = ${edited} where idx = 5`.execute(store.db);
      expect((await ledger.verifyLedger(store)).problem).toMatchObject({ code: 'LEDGER_TAMPERED', index: 5 });

      // Edited together with its leaf hash: the stored level-0 node still names it.
      await sql`update ledger_entries set leaf_hash = ${hashLeaf(Buffer.from(edited)).toString('hex')} where idx = 5`.execute(
        store.db,
      );
      expect((await ledger.verifyLedger(store)).problem).toMatchObject({ code: 'LEDGER_TAMPERED', index: 5 });
    });

    it('names a deleted and a reordered row', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(12));
      await sql`delete from ledger_entries where idx = 7`.execute(store.db);
      expect((await ledger.verifyLedger(store)).problem).toMatchObject({ code: 'LEDGER_TAMPERED', index: 7 });

      const other = await open();
      await sql`delete from ledger_entries`.execute(other.db);
      await sql`delete from ledger_nodes`.execute(other.db);
      await sql`update ledger_head set size = 0`.execute(other.db);
      await ledger.appendEvents(other, events(6));
      const rows = await ledger.readEntries(other, 0, 6);
      await sql`update ledger_entries set entry = ${rows[3]?.entry ?? ''}, leaf_hash = ${rows[3]?.leafHash ?? ''} where idx = 2`.execute(
        other.db,
      );
      await sql`update ledger_entries set entry = ${rows[2]?.entry ?? ''}, leaf_hash = ${rows[2]?.leafHash ?? ''} where idx = 3`.execute(
        other.db,
      );
      const problem = (await ledger.verifyLedger(other)).problem;
      expect(problem).toMatchObject({ code: 'LEDGER_TAMPERED', index: 2 });
      expect(problem?.message).toContain('reordered');
    });

    it('detects a consistent rewrite and a truncation against the checkpoint the verifier kept', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(10));
      const kept = await ledger.readHead(store);
      await ledger.appendEvents(store, events(3, 'later'));
      expect((await ledger.verifyLedger(store, kept)).problem).toBeUndefined();

      // Rewrite entry 4 everywhere the store keeps it, and recompute the head: only the kept checkpoint knows.
      const [row] = await ledger.readEntries(store, 4, 1);
      const forged = (row?.entry ?? '').replace('"e4"', '"e4-forged"');
      const forgedHash = hashLeaf(Buffer.from(forged)).toString('hex');
      await sql`update ledger_entries set entry = ${forged}, leaf_hash = ${forgedHash} where idx = 4`.execute(
        store.db,
      );
      await sql`update ledger_nodes set hash = ${forgedHash} where level = 0 and idx = 4`.execute(store.db);
      const rewritten = await ledger.verifyLedger(store, kept);
      expect(rewritten.problem?.code).toBe('LEDGER_INCONSISTENT');

      const truncated = await open();
      await sql`delete from ledger_entries`.execute(truncated.db);
      await sql`delete from ledger_nodes`.execute(truncated.db);
      await sql`update ledger_head set size = 0`.execute(truncated.db);
      await ledger.appendEvents(truncated, events(10));
      const keptTen = await ledger.readHead(truncated);
      await sql`delete from ledger_entries where idx >= 8`.execute(truncated.db);
      await sql`update ledger_head set size = 8`.execute(truncated.db);
      const result = await ledger.verifyLedger(truncated, keptTen);
      expect(result.problem).toMatchObject({ code: 'LEDGER_INCONSISTENT', index: 8 });
    });

    it('signs, stores and checks checkpoints', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(5));
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const note = await ledger.createCheckpoint(store, 'test/ledger', { name: 'test-ledger', privateKey });
      expect(await ledger.latestCheckpoint(store)).toBe(note);
      const checkpoint = verifyCheckpoint(note, [{ name: 'test-ledger', publicKey }]);
      expect(checkpoint.size).toBe(5);
      // The log records its own checkpoint right after it: entry 5.
      expect((await ledger.readHead(store)).size).toBe(6);
      expect(JSON.parse((await ledger.readEntries(store, 5, 1))[0]?.entry ?? '{}').type).toBe(
        'ledger.checkpointed',
      );
      expect(Buffer.from(checkpoint.root)).toEqual(
        Buffer.from((await ledger.proveConsistency(store, 5)).root1),
      );
      await sql`update ledger_checkpoints set root = ${'00'.repeat(32)}`.execute(store.db);
      expect((await ledger.verifyLedger(store)).problem?.code).toBe('LEDGER_TAMPERED');
    });

    it('does not report a rewritten log as verified while a stored signed note holds the old root', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(5));
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const note = await ledger.createCheckpoint(store, 'test/ledger', { name: 'test-ledger', privateKey });
      // The attacker rebuilds the whole log with a forged entry, records a checkpoint of the forged
      // root and puts that root in the checkpoint row, leaving the signed note as it was.
      await sql`delete from ledger_entries`.execute(store.db);
      await sql`delete from ledger_nodes`.execute(store.db);
      await sql`update ledger_head set size = 0`.execute(store.db);
      await ledger.appendEvents(store, events(5, 'forged'));
      const forgedRoot = Buffer.from((await ledger.readHead(store)).root).toString('hex');
      await ledger.appendEvents(store, [
        { type: ledger.checkpointEventType, data: { size: 5, root: forgedRoot, origin: 'test/ledger' } },
      ]);
      await sql`update ledger_checkpoints set root = ${forgedRoot} where size = 5`.execute(store.db);
      // The note still verifies with the key: only its root tells the log was rewritten.
      expect(await ledger.latestCheckpoint(store)).toBe(note);
      expect(verifyCheckpoint(note, [{ name: 'test-ledger', publicKey }]).size).toBe(5);
      const result = await ledger.verifyLedger(store);
      expect(result.problem?.code).toBe('LEDGER_TAMPERED');
      expect(result.problem?.message).toContain('note');
    });

    it('does not report a cut and rewritten log as verified while a larger signed checkpoint is stored', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(10));
      const { privateKey } = generateKeyPairSync('ed25519');
      await ledger.createCheckpoint(store, 'test/ledger', { name: 'test-ledger', privateKey });
      // The attacker cuts the log back to 6 entries and rewrites the head consistently: entries,
      // nodes and head all agree, and no verifier state was kept.
      const rootOfSix = (await ledger.proveConsistency(store, 6)).root1;
      await sql`delete from ledger_entries where idx >= 6`.execute(store.db);
      await sql`delete from ledger_nodes where (idx + 1) * (1 << level) > 6`.execute(store.db);
      await sql`update ledger_head set size = 6, root = ${Buffer.from(rootOfSix).toString('hex')}`.execute(
        store.db,
      );
      const result = await ledger.verifyLedger(store);
      expect(result.problem).toMatchObject({ code: 'LEDGER_INCONSISTENT', index: 6 });
      expect(result.problem?.message).toContain('covers 10 entries');
    });

    it('fails on an upper node row that was edited, deleted or added', async () => {
      const store = await open();
      await ledger.appendEvents(store, events(13));
      expect((await ledger.verifyLedger(store)).problem).toBeUndefined();
      await sql`update ledger_nodes set hash = ${'00'.repeat(32)} where level = 2 and idx = 1`.execute(
        store.db,
      );
      expect((await ledger.verifyLedger(store)).problem?.message).toContain(
        '(level 2, index 1) is not the hash of its children',
      );
      await sql`delete from ledger_nodes where level = 2 and idx = 1`.execute(store.db);
      expect((await ledger.verifyLedger(store)).problem).toMatchObject({ code: 'LEDGER_TAMPERED' });
      expect((await ledger.verifyLedger(store)).problem?.message).toContain('rows deleted');
      await sql`insert into ledger_nodes (level, idx, hash) values (2, 1, ${'00'.repeat(32)}), (3, 7, ${'00'.repeat(32)})`.execute(
        store.db,
      );
      expect((await ledger.verifyLedger(store)).problem?.message).toContain('rows added');
      await sql`delete from ledger_nodes where level = 3 and idx = 7`.execute(store.db);
      await sql`delete from ledger_nodes where level = 0 and idx = 4`.execute(store.db);
      expect((await ledger.verifyLedger(store)).problem).toMatchObject({ code: 'LEDGER_TAMPERED', index: 4 });
    });

    it('detects a deleted stored checkpoint without any verifier key, from the entry that records it', async () => {
      const store = await open();
      const { privateKey } = generateKeyPairSync('ed25519');
      const signer = { name: 'test-ledger', privateKey };
      await ledger.appendEvents(store, events(5));
      await ledger.createCheckpoint(store, 'test/ledger', signer);
      await ledger.appendEvents(store, events(3));
      await ledger.createCheckpoint(store, 'test/ledger', signer);
      expect((await ledger.verifyLedger(store)).problem).toBeUndefined();
      await sql`delete from ledger_checkpoints where size = 5`.execute(store.db);
      const result = await ledger.verifyLedger(store);
      expect(result.problem).toMatchObject({ code: 'LEDGER_TAMPERED', index: 5 });
      expect(result.problem?.message).toContain('no longer stored');
    });
  });
}

await describeOnEveryStore('ledger', describeLedgerSuite);
