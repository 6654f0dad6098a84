/**
 * The pack reader against hostile input (fast-check, bounded runs): it never throws, never
 * accepts a pack whose contents were changed, and never accepts an entry name that could point
 * elsewhere on a file system.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { canonicalize, createCheckpoint, type NoteVerifier } from '../ledger/index.js';
import { openStore, type Store } from '../store/index.js';
import { sampleAssessment } from '../testing/sample-assessment.js';
import { checkpointKey, saveLedgeredAssessment } from './__fixtures__/ledger.js';
import { buildEvidencePack, decodePack, isSafeEntryName, maxPackBytes, verifyEvidencePack } from './index.js';

const catalog = loadCatalog();
const origin = 'example.com/fuzz/ledger';
let store: Store;
let pack: Buffer;
let verifier: NoteVerifier;

beforeAll(async () => {
  store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const assessment = { ...sampleAssessment(), id: 'fuzz-1', startedAt: '2026-03-01T00:00:00.000Z' };
  await saveLedgeredAssessment(store, assessment, '/srv/fuzz');
  const key = checkpointKey(origin);
  verifier = key.verifier;
  await createCheckpoint(store, origin, { name: origin, privateKey: key.privateKey });
  pack = (
    await buildEvidencePack(store, {
      period: { from: '2026-01-01', to: '2026-12-31' },
      catalog,
      now: new Date('2026-12-01T00:00:00Z'),
      toolVersion: 'test',
    })
  ).bytes;
});
afterAll(async () => {
  await store.close();
});

const runs = { numRuns: 200, seed: 20261205 };

describe('evidence pack reader (property)', () => {
  it('the unmodified pack verifies (the properties below start from a good pack)', async () => {
    expect((await verifyEvidencePack(pack, { verifiers: [verifier], catalog })).ok).toBe(true);
  });

  it('never throws on arbitrary bytes, and never accepts them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        const result = await verifyEvidencePack(bytes, { verifiers: [verifier], catalog });
        expect(result.ok).toBe(false);
      }),
      runs,
    );
  });

  it('never throws on arbitrary JSON, and never accepts it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        const result = await verifyEvidencePack(Buffer.from(JSON.stringify(value) ?? 'null'), {
          verifiers: [verifier],
        });
        expect(result.ok).toBe(false);
      }),
      runs,
    );
  });

  it('rejects any change to a byte of the files section', async () => {
    const text = pack.toString('utf8');
    const start = text.indexOf('"contents":') + '"contents":'.length;
    const end = text.indexOf(',"manifest":');
    expect(start).toBeGreaterThan(10);
    expect(end).toBeGreaterThan(start);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: start, max: end - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (position, flip) => {
          const mutated = Buffer.from(pack);
          mutated[position] = (mutated[position] ?? 0) ^ flip;
          const result = await verifyEvidencePack(mutated, { verifiers: [verifier], catalog });
          expect(result.ok).toBe(false);
          expect(result.problems.length).toBeGreaterThan(0);
        },
      ),
      runs,
    );
  });

  it('rejects an item or file named by any path that could leave the pack', async () => {
    const escaping = fc.oneof(
      fc.constantFrom('..', '.', '', '/etc', 'C:', '\\'),
      fc.string({ maxLength: 12 }).map((part) => `${part}/..`),
      fc.string({ maxLength: 12 }).map((part) => `../${part}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('evidence', 'records', 'ledger'),
        escaping,
        fc.string({ maxLength: 20 }),
        async (top, bad, tail) => {
          const path = `${top}/${bad}/${tail}`;
          const hostile = /(^|\/)\.\.?(\/|$)|^\/|\\|\/\//.test(path);
          if (hostile) expect(isSafeEntryName(path)).toBe(false);
          const document = JSON.parse(pack.toString('utf8'));
          document.contents[0].path = path;
          document.manifest.files[0].path = path;
          const result = await verifyEvidencePack(Buffer.from(canonicalize(document)), {
            verifiers: [verifier],
            catalog,
          });
          expect(result.ok).toBe(false);
          if (hostile) expect(result.problems[0]?.code).toBe('PACK_MALFORMED');
        },
      ),
      runs,
    );
    for (const path of [
      'evidence/../../etc/passwd',
      '/etc/passwd',
      'evidence/a\\..\\b',
      'evidence/./x',
      'records/..',
    ]) {
      expect(isSafeEntryName(path), path).toBe(false);
    }
  });

  it('bounds sizes and counts before it trusts them', async () => {
    expect(decodePack(new Uint8Array(maxPackBytes + 1))).toMatchObject({ ok: false });
    const document = JSON.parse(pack.toString('utf8'));
    document.manifest.files = Array.from({ length: 100_001 }, () => document.manifest.files[0]);
    expect(decodePack(Buffer.from(JSON.stringify(document)))).toMatchObject({ ok: false });
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(decodePack(Buffer.from(deep))).toMatchObject({ ok: false });
  });
});
