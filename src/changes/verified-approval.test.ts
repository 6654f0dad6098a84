import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type PrincipalRegistry } from '../identity/index.js';
import type { NoteVerifier } from '../ledger/index.js';
import { appendEvents, appendToLedger, createCheckpoint } from '../ledger/index.js';
import { ChangeSettings } from '../policy/index.js';
import { openStore, type Store, type StoreLocation } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import {
  type ChangeSigner,
  changeStatement,
  proveStatement,
  recordSignedTransition,
} from './change-ledger.js';
import { recordChange } from './change-store.js';
import { approveChange, type ChangeRecord, createChange } from './changes.js';
import {
  type ApprovalRequest,
  checkChangeProjections,
  consumeApproval,
  findVerifiedApproval,
} from './verified-approval.js';

const settings = ChangeSettings.parse({ emergencyApprovalHours: 24 });
const keys = {
  alice: generateKeyPairSync('ed25519'),
  bob: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
  aliceAgain: generateKeyPairSync('ed25519'),
  mallory: generateKeyPairSync('ed25519'),
};
const registry: PrincipalRegistry = createRegistry([
  { name: 'Alice', emails: ['alice@example.com'], publicKey: keys.alice.publicKey, source: 'test' },
  { name: 'Bob', emails: ['bob@example.com'], publicKey: keys.bob.publicKey, source: 'test' },
  // Alice's second key under a name that differs only by a zero-width space.
  { name: 'Ali\u200Bce', publicKey: keys.aliceAgain.publicKey, source: 'test' },
]);
const ledgerKey = generateKeyPairSync('ed25519');
const checkpointSigner = { name: 'ledger.example', privateKey: ledgerKey.privateKey };
const checkpointVerifiers: NoteVerifier[] = [{ name: 'ledger.example', publicKey: ledgerKey.publicKey }];

function signer(key: { privateKey: KeyObject }): ChangeSigner {
  return { kind: 'key', privateKey: key.privateKey, registry };
}

function describeApprovalSuite(name: string, backend: StoreBackend): void {
  describe(`verified approvals on ${name}`, () => {
    let location: StoreLocation;
    let store: Store;
    let repository: TestRepository;
    let commit: string;
    const now = new Date();

    beforeAll(async () => {
      location = await backend.createLocation();
    });
    afterEach(async () => {
      await store?.close();
      repository?.remove();
      await backend.removeLocation?.(location);
      location = await backend.createLocation();
    });

    async function setUp(): Promise<void> {
      store = await openStore(location);
      repository = createTestRepository();
      repository.write({ 'app.js': 'ok\n' });
      commit = repository.commit('feature', { author: 'Dan Developer <dan@example.com>' });
    }

    async function created(
      overrides: Partial<Parameters<typeof createChange>[0]> = {},
    ): Promise<ChangeRecord> {
      const author = (await proveStatement(changeStatement(stub(), 'created', now), signer(keys.alice)))
        .principal;
      const change = createChange(
        {
          id: 'CHG-1',
          class: 'normal',
          title: 'Release 1.2',
          author,
          commits: [commit],
          commitAuthors: ['Dan Developer <dan@example.com>'],
          environments: ['production'],
          ...overrides,
        },
        settings,
        now,
      );
      await recordSignedTransition(store, change, 'created', signer(keys.alice), now);
      return change;
    }

    async function approvedBy(change: ChangeRecord, key: { privateKey: KeyObject }): Promise<ChangeRecord> {
      const principal = (await proveStatement(changeStatement(change, 'approved', now), signer(key)))
        .principal;
      const next = approveChange(change, principal, settings, now);
      await recordSignedTransition(store, next, 'approved', signer(key), now);
      return next;
    }

    function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
      return {
        changeId: 'CHG-1',
        registry,
        checkpointVerifiers,
        settings,
        environment: 'production',
        commit,
        at: now,
        ...overrides,
      };
    }

    it('counts an approval by a second principal once it is under a signed checkpoint, for the named commit and environment only', async () => {
      await setUp();
      await approvedBy(await created(), keys.bob);
      const unsigned = await findVerifiedApproval(store, request());
      expect(unsigned.approved).toBe(false);
      expect(unsigned.reason).toContain('checkpoint');
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      const verified = await findVerifiedApproval(store, request());
      expect(verified).toMatchObject({ approved: true, tampering: [] });
      expect(verified.approvers.map((principal) => principal.name)).toEqual(['Bob']);
      expect((await findVerifiedApproval(store, request({ environment: 'staging' }))).reason).toContain(
        'not staging',
      );
      expect((await findVerifiedApproval(store, request({ commit: 'f'.repeat(40) }))).reason).toContain(
        'does not name the released commit',
      );
      expect((await findVerifiedApproval(store, request({ checkpointVerifiers: [] }))).approved).toBe(false);
      expect(await checkChangeProjections(store)).toEqual([]);
    });

    it('is used once: the first deployment consumes it and a second gets no approval', async () => {
      await setUp();
      const change = await approvedBy(await created(), keys.bob);
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      const first = await findVerifiedApproval(store, request());
      expect(first.approved).toBe(true);
      const used = await consumeApproval(store, first.change ?? change, {
        decision: 'D-1',
        environment: 'production',
        at: now,
      });
      expect(used.consumed).toBe(true);
      const again = await findVerifiedApproval(store, request());
      expect(again.approved).toBe(false);
      expect(again.reason).toContain('D-1');
      expect(
        (await consumeApproval(store, change, { decision: 'D-2', environment: 'production', at: now }))
          .consumed,
      ).toBe(false);
      expect(await checkChangeProjections(store)).toEqual([]);
    });

    it('is used once even when more than 10,000 other entries name the change before its use', async () => {
      await setUp();
      const change = await approvedBy(await created(), keys.bob);
      // Anyone who runs the gate with --change CHG-1 ledgers an entry naming it (a dry run too).
      const runs = Array.from({ length: 1000 }, (_, run) => ({
        type: 'gate.what-if',
        data: { change: 'CHG-1', run },
      }));
      for (let batch = 0; batch < 10; batch += 1) await appendEvents(store, runs);
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      const first = await findVerifiedApproval(store, request());
      expect(first.approved).toBe(true);
      const use = { decision: 'D-1', environment: 'production', at: now };
      expect((await consumeApproval(store, first.change ?? change, use)).consumed).toBe(true);
      const again = await findVerifiedApproval(store, request());
      expect(again.approved).toBe(false);
      expect(again.reason).toContain('D-1');
      expect((await consumeApproval(store, change, { ...use, decision: 'D-2' })).consumed).toBe(false);
    }, 120_000);

    it('ignores an approved row written straight into the store, and reports it', async () => {
      await setUp();
      const forged = approveChange(
        createChange(
          {
            id: 'CHG-9',
            class: 'normal',
            title: 'x',
            author: 'alice',
            commits: [commit],
            environments: ['production'],
          },
          settings,
          now,
        ),
        'bob',
        settings,
        now,
      );
      await sql`insert into changes (id, class, status, author, created_at, updated_at, review_due_at, document)
        values (${forged.id}, ${forged.class}, ${forged.status}, ${forged.author}, ${forged.createdAt}, ${forged.createdAt}, null, ${JSON.stringify(forged)})`.execute(
        store.db,
      );
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      const result = await findVerifiedApproval(store, request({ changeId: 'CHG-9' }));
      expect(result.approved).toBe(false);
      expect(result.tampering.join('\n')).toContain('no verified ledger entry creates it');
      expect((await checkChangeProjections(store)).join('\n')).toContain(
        'CHG-9 is in the store but in no ledger entry',
      );
    });

    it('does not count approvals appended without a signature, signed by the author (any key, any spelling), or by an unregistered key', async () => {
      await setUp();
      const change = await created();
      // Unsigned, through the ledger's library append (as anyone who can write the database could).
      const byName = approveChange(change, 'bob', settings, now);
      await appendToLedger(store, {
        type: 'change.approved',
        data: { change: 'CHG-1', actor: 'bob', record: byName },
      });
      await recordChange(store, byName, 'approved', 'bob', now);
      // The author's second key, registered under a name with a zero-width space.
      const selfStatement = changeStatement(change, 'approved', now);
      const self = await proveStatement(selfStatement, signer(keys.aliceAgain));
      await recordChange(
        store,
        {
          ...change,
          approvals: [
            { by: self.principal.name, at: now.toISOString(), roles: [], principal: self.principal },
          ],
        },
        'approved',
        self,
        now,
      );
      await expect(proveStatement(selfStatement, signer(keys.mallory))).rejects.toMatchObject({
        code: 'IDENTITY_KEY_UNREGISTERED',
      });
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      const result = await findVerifiedApproval(store, request());
      expect(result.approved).toBe(false);
      expect(result.reason).toContain('0 of 1');
      expect(result.tampering.join('\n')).toMatch(/no signed statement/);
      expect(result.tampering.join('\n')).toMatch(/author/);
    });

    it('does not count an approval whose ledger entry was edited in the database', async () => {
      await setUp();
      await approvedBy(await created(), keys.bob);
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      await sql`update ledger_entries set entry = replace(entry, 'Release 1.2', 'Release 6.6') where idx = 0`.execute(
        store.db,
      );
      const result = await findVerifiedApproval(store, request());
      expect(result.approved).toBe(false);
      expect(result.tampering.join('\n')).toContain('not in the signed tree');
    });

    it('approves nothing when the change names no commit, artefact or environment', async () => {
      await setUp();
      await approvedBy(await created({ commits: [], environments: ['production'] }), keys.bob);
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      expect((await findVerifiedApproval(store, request())).reason).toContain(
        'names no commit and no artefact',
      );
    });

    it('lets an emergency approval lapse after emergencyApprovalHours, and never lets it be used twice', async () => {
      await setUp();
      await approvedBy(await created({ class: 'emergency' }), keys.bob);
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      expect((await findVerifiedApproval(store, request())).approved).toBe(true);
      const later = new Date(now.getTime() + 25 * 3_600_000);
      expect((await findVerifiedApproval(store, request({ at: later }))).reason).toContain('expired');
    });

    it('refuses an approver who wrote the released commit, as git names them', async () => {
      await setUp();
      await approvedBy(await created(), keys.bob);
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      const result = await findVerifiedApproval(
        store,
        request({ releasedAuthors: ['Robert <BOB@example.com>'] }),
      );
      expect(result.approved).toBe(false);
      expect(result.tampering.join('\n')).toContain('wrote the released commit');
    });
  });
}

function stub(): ChangeRecord {
  return {
    id: 'CHG-0',
    class: 'normal',
    title: 't',
    author: 'x',
    createdAt: '',
    status: 'requested',
    commits: [],
    commitAuthors: [],
    approvals: [],
  };
}

await describeOnEveryStore('verified approvals', describeApprovalSuite);
