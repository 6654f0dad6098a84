/**
 * The evidence pack on real stores (SQLite and PostgreSQL), a real ledger with real signed
 * checkpoints and keys: a pack verifies with the expected key, and each way of tampering with it
 * is caught and named.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import type { Assessment } from '../kernel/index.js';
import { appendToLedger, canonicalBytes, canonicalize, createCheckpoint } from '../ledger/index.js';
import { add, createCompany, daysAgo, enrol, now, signPenTest } from '../records/__fixtures__/company.js';
import { describeEvidence } from '../records/index.js';
import { openStore, type Store } from '../store/index.js';
import { buildAssessment, sampleAssessment } from '../testing/sample-assessment.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import { checkpointKey, saveLedgeredAssessment } from './__fixtures__/ledger.js';
import { buildEvidencePack, EvidencePackError, type PackDocument, verifyEvidencePack } from './index.js';

const origin = 'example.com/shipguard/ledger';
const repository = '/srv/payments';
const catalog = loadCatalog();
const period = { from: '2026-01-01', to: '2026-12-31' };
const reportBytes = Buffer.from('%PDF-1.7 pen test report of the payments API');

/** A store with two assessments, a pen test with its report as evidence, and a signed checkpoint. */
async function populate(store: Store, key: { privateKey: KeyObject }): Promise<void> {
  const company = createCompany();
  await enrol(store, company);
  const report = describeEvidence('report.pdf', reportBytes, 'application/pdf');
  const penTest = await signPenTest(company, {
    engagement: 'PT-2026-2',
    started: daysAgo(40),
    ended: daysAgo(40),
    report,
    findings: [{ id: 'F-1', title: 'User enumeration on login', severity: 'high' }],
  });
  await add(store, [penTest], [report]);
  const first = sampleAssessment();
  await saveLedgeredAssessment(
    store,
    {
      ...first,
      id: 'assessment-2026-06-01',
      startedAt: '2026-06-01T10:00:00.000Z',
    },
    repository,
  );
  await saveLedgeredAssessment(
    store,
    {
      ...first,
      id: 'assessment-2026-09-01',
      startedAt: '2026-09-01T10:00:00.000Z',
    },
    repository,
  );
  // Outside the period: must not be packed.
  await saveLedgeredAssessment(
    store,
    {
      ...first,
      id: 'assessment-2025-06-01',
      startedAt: '2025-06-01T10:00:00.000Z',
    },
    repository,
  );
  await createCheckpoint(store, origin, { name: origin, privateKey: key.privateKey });
}

type Mutable = PackDocument;

function edit(bytes: Buffer, change: (pack: Mutable) => void): Buffer {
  const pack = JSON.parse(bytes.toString('utf8')) as Mutable;
  change(pack);
  return Buffer.from(canonicalize(pack), 'utf8');
}

/** Replaces a file's bytes and, like a careful forger, its manifest digest and size. */
function replaceFile(pack: Mutable, path: string, bytes: Buffer): void {
  const content = pack.contents.find((entry) => entry.path === path);
  const listed = pack.manifest.files.find((file) => file.path === path);
  if (!content || !listed) throw new Error(`no ${path} in the pack`);
  content.base64 = bytes.toString('base64');
  listed.sha256 = createHash('sha256').update(bytes).digest('hex');
  listed.size = bytes.length;
}

function fileOf(pack: Mutable, path: string): Buffer {
  const content = pack.contents.find((entry) => entry.path === path);
  if (!content) throw new Error(`no ${path} in the pack`);
  return Buffer.from(content.base64, 'base64');
}

function codes(result: Awaited<ReturnType<typeof verifyEvidencePack>>): string[] {
  return [...new Set(result.problems.map((problem) => problem.code))].sort();
}

await describeOnEveryStore('evidence pack', (name: string, backend: StoreBackend) => {
  describe(`evidence pack (${name})`, () => {
    let store: Store;
    let key: ReturnType<typeof checkpointKey>;
    let pack: Buffer;

    beforeEach(async () => {
      store = await openStore(await backend.createLocation());
      key = checkpointKey(origin);
      await populate(store, key);
      pack = (await buildEvidencePack(store, { period, catalog, now, toolVersion: 'test' })).bytes;
    });
    afterEach(async () => {
      await store.close();
    });

    it('holds the period, proves every item under the signed checkpoint and verifies offline', async () => {
      const result = await verifyEvidencePack(pack, { verifiers: [key.verifier], origin, catalog });
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.counts).toMatchObject({ assessments: 2, records: 1, evidence: 1 });
      expect(result.checkpoint).toMatchObject({ origin, keyNames: [origin] });
      const document = JSON.parse(pack.toString('utf8')) as PackDocument;
      const paths = document.manifest.files.map((file) => file.path);
      expect(paths).toContain('assessments/assessment-2026-06-01.json');
      expect(paths).not.toContain('assessments/assessment-2025-06-01.json');
      expect(paths).toContain(`evidence/${createHash('sha256').update(reportBytes).digest('hex')}`);
      expect(paths).toEqual(
        expect.arrayContaining(['frameworks/iso27001.json', 'frameworks/ssdf.json', 'frameworks/ncsc.json']),
      );
      for (const item of document.manifest.items) {
        expect(paths).toContain(item.proof);
        expect(paths).toContain(item.entry);
      }
      // Deterministic: the same store, period and time give the same bytes.
      const again = await buildEvidencePack(store, { period, catalog, now, toolVersion: 'test' });
      expect(again.bytes.equals(pack)).toBe(true);
    });

    it('names a tampered evidence file', async () => {
      const sha = createHash('sha256').update(reportBytes).digest('hex');
      const tampered = edit(pack, (document) => {
        const content = document.contents.find((entry) => entry.path === `evidence/${sha}`);
        if (!content) throw new Error('no evidence');
        content.base64 = Buffer.from('%PDF-1.7 a friendlier report').toString('base64');
      });
      const result = await verifyEvidencePack(tampered, { verifiers: [key.verifier], catalog });
      expect(result.ok).toBe(false);
      expect(result.problems).toContainEqual(
        expect.objectContaining({ code: 'FILE_TAMPERED', subject: `evidence/${sha}` }),
      );
    });

    it('names a record rewritten with a matching manifest digest: the ledger entry does not vouch for it', async () => {
      const tampered = edit(pack, (document) => {
        const item = document.manifest.items.find((entry) => entry.kind === 'record');
        if (!item) throw new Error('no record');
        const envelope = JSON.parse(fileOf(document, item.path).toString('utf8'));
        envelope.signatures[0].sig = Buffer.alloc(64, 1).toString('base64');
        replaceFile(document, item.path, Buffer.from(canonicalize(envelope)));
      });
      const result = await verifyEvidencePack(tampered, { verifiers: [key.verifier], catalog });
      expect(result.ok).toBe(false);
      expect(result.problems).toContainEqual(
        expect.objectContaining({
          code: 'ENTRY_MISMATCH',
          subject: expect.stringMatching(/^record pen-test:/),
        }),
      );
    });

    it('names an assessment edited after it was ledgered', async () => {
      const tampered = edit(pack, (document) => {
        const path = 'assessments/assessment-2026-06-01.json';
        const assessment = JSON.parse(fileOf(document, path).toString('utf8')) as Assessment;
        for (const control of assessment.controls) control.status = 'pass';
        replaceFile(document, path, canonicalBytes(assessment));
      });
      const result = await verifyEvidencePack(tampered, { verifiers: [key.verifier], catalog });
      expect(result.problems).toContainEqual(
        expect.objectContaining({ code: 'ENTRY_MISMATCH', subject: 'assessment assessment-2026-06-01' }),
      );
    });

    it('names a missing proof, and a file no item (so no proof) covers', async () => {
      const withoutProof = edit(pack, (document) => {
        const item = document.manifest.items.find((entry) => entry.kind === 'assessment');
        if (!item) throw new Error('no assessment');
        document.contents = document.contents.filter((entry) => entry.path !== item.proof);
        document.manifest.files = document.manifest.files.filter((file) => file.path !== item.proof);
      });
      const missing = await verifyEvidencePack(withoutProof, { verifiers: [key.verifier], catalog });
      expect(missing.ok).toBe(false);
      expect(missing.problems).toContainEqual(
        expect.objectContaining({ code: 'PROOF_MISSING', subject: 'assessment assessment-2026-06-01' }),
      );

      const withoutItem = edit(pack, (document) => {
        document.manifest.items = document.manifest.items.filter((entry) => entry.kind !== 'record');
      });
      const unproven = await verifyEvidencePack(withoutItem, { verifiers: [key.verifier], catalog });
      expect(unproven.problems).toContainEqual(
        expect.objectContaining({
          code: 'PROOF_MISSING',
          subject: expect.stringMatching(/^records\/pen-test:/),
        }),
      );
      // Its evidence is then vouched for by nothing either.
      expect(codes(unproven)).toContain('EVIDENCE_UNREFERENCED');
    });

    it('checks each record signature against the signer registrations the pack proves', async () => {
      const document = JSON.parse(pack.toString('utf8')) as PackDocument;
      const signer = document.manifest.items.find((item) => item.kind === 'signer');
      expect(signer?.path).toMatch(/^signers\/[0-9a-f]{64}\.json$/);
      // The registration removed from the items: nothing proves the key, so the record is unsigned.
      const unproven = edit(pack, (changed) => {
        changed.manifest.items = changed.manifest.items.filter((item) => item.kind !== 'signer');
      });
      const result = await verifyEvidencePack(unproven, { verifiers: [key.verifier], catalog });
      expect(result.problems).toContainEqual(
        expect.objectContaining({
          code: 'RECORD_SIGNATURE_INVALID',
          subject: expect.stringMatching(/^record pen-test:/),
        }),
      );
      expect(result.problems).toContainEqual(
        expect.objectContaining({ code: 'PROOF_MISSING', subject: signer?.path }),
      );
      // A forger's key put in place of the registration: the ledger entry does not vouch for it.
      const forged = edit(pack, (changed) => {
        const path = signer?.path ?? '';
        const registration = JSON.parse(fileOf(changed, path).toString('utf8'));
        registration.publicKey = generateKeyPairSync('ed25519')
          .publicKey.export({ format: 'pem', type: 'spki' })
          .toString();
        replaceFile(changed, path, canonicalBytes(registration));
      });
      const forgedResult = await verifyEvidencePack(forged, { verifiers: [key.verifier], catalog });
      expect(forgedResult.problems).toContainEqual(
        expect.objectContaining({ code: 'ENTRY_MISMATCH', subject: `signer ${signer?.id}` }),
      );
      expect(codes(forgedResult)).toContain('RECORD_SIGNATURE_INVALID');
    });

    it('names a checkpoint signed by another key, and one whose signature was altered', async () => {
      const other = checkpointKey(origin);
      const byOther = await verifyEvidencePack(pack, { verifiers: [other.verifier], catalog });
      expect(byOther.ok).toBe(false);
      expect(byOther.problems).toContainEqual(
        expect.objectContaining({ code: 'CHECKPOINT_FOREIGN_KEY', subject: 'ledger/checkpoint.txt' }),
      );

      const forged = edit(pack, (document) => {
        const note = fileOf(document, 'ledger/checkpoint.txt').toString('utf8');
        const [body, signature] = note.split('\n\n') as [string, string];
        const blob = Buffer.from(signature.slice(signature.lastIndexOf(' ') + 1).trim(), 'base64');
        blob[10] = (blob[10] ?? 0) ^ 0xff;
        const line = `${signature.slice(0, signature.lastIndexOf(' ') + 1)}${blob.toString('base64')}\n`;
        replaceFile(document, 'ledger/checkpoint.txt', Buffer.from(`${body}\n\n${line}`));
      });
      const invalid = await verifyEvidencePack(forged, { verifiers: [key.verifier], catalog });
      expect(codes(invalid)).toContain('CHECKPOINT_SIGNATURE_INVALID');
    });

    it('names a checkpoint of another log, even one signed by the expected key', async () => {
      const foreignStore = await openStore({ kind: 'sqlite', path: ':memory:' });
      try {
        await appendToLedger(foreignStore, { type: 'test.event', data: { other: true } });
        const foreignNote = await createCheckpoint(foreignStore, 'example.com/other-log', {
          name: origin,
          privateKey: key.privateKey,
        });
        const swapped = edit(pack, (document) => {
          replaceFile(document, 'ledger/checkpoint.txt', Buffer.from(foreignNote));
        });
        const result = await verifyEvidencePack(swapped, { verifiers: [key.verifier], origin, catalog });
        expect(result.ok).toBe(false);
        expect(result.problems).toContainEqual(
          expect.objectContaining({ code: 'CHECKPOINT_FOREIGN_LOG', subject: 'ledger/checkpoint.txt' }),
        );
        // Without --origin the proofs still do not lead to that checkpoint, item by item.
        const unexpected = await verifyEvidencePack(swapped, { verifiers: [key.verifier], catalog });
        expect(unexpected.problems).toContainEqual(
          expect.objectContaining({
            code: 'CHECKPOINT_FOREIGN_LOG',
            subject: 'assessment assessment-2026-09-01',
          }),
        );
      } finally {
        await foreignStore.close();
      }
    });

    it('fails closed without the expected key', async () => {
      const result = await verifyEvidencePack(pack, { catalog });
      expect(result.ok).toBe(false);
      expect(codes(result)).toEqual(['CHECKPOINT_KEY_MISSING']);
    });

    it('names a framework view that does not follow from the proven assessments', async () => {
      const tampered = edit(pack, (document) => {
        const view = JSON.parse(fileOf(document, 'frameworks/ssdf.json').toString('utf8'));
        for (const item of view.views[0].view.items) item.status = 'pass';
        replaceFile(document, 'frameworks/ssdf.json', canonicalBytes(view));
      });
      const result = await verifyEvidencePack(tampered, { verifiers: [key.verifier], catalog });
      expect(result.problems).toContainEqual(
        expect.objectContaining({ code: 'FRAMEWORK_VIEW_MISMATCH', subject: 'frameworks/ssdf.json' }),
      );
    });

    it('refuses to pack an item the newest checkpoint does not cover', async () => {
      await saveLedgeredAssessment(
        store,
        buildAssessment([], { id: 'assessment-late', startedAt: '2026-10-01T10:00:00.000Z' }),
        repository,
      );
      await expect(
        buildEvidencePack(store, { period, catalog, now, toolVersion: 'test' }),
      ).rejects.toMatchObject({
        code: 'PACK_CHECKPOINT_MISSING',
        message: expect.stringContaining('assessment-late'),
      });
      await createCheckpoint(store, origin, { name: origin, privateKey: key.privateKey });
      const built = await buildEvidencePack(store, { period, catalog, now, toolVersion: 'test' });
      expect(
        (await verifyEvidencePack(built.bytes, { verifiers: [key.verifier], catalog })).counts.assessments,
      ).toBe(3);
    });

    it('refuses an assessment whose stored copy differs from the ledgered digest', async () => {
      await store.saveAssessment({
        ...sampleAssessment(),
        id: 'assessment-unledgered',
        startedAt: '2026-07-01T00:00:00.000Z',
      });
      await createCheckpoint(store, origin, { name: origin, privateKey: key.privateKey });
      const error = await buildEvidencePack(store, { period, catalog, now, toolVersion: 'test' }).catch(
        (caught) => caught,
      );
      expect(error).toBeInstanceOf(EvidencePackError);
      expect(error).toMatchObject({
        code: 'PACK_ITEM_UNPROVEN',
        message: expect.stringContaining('assessment-unledgered'),
      });
    });
  });
});
