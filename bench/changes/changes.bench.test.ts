import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  approveChange,
  changeStatement,
  createChange,
  findVerifiedApproval,
  proveStatement,
  recordSignedTransition,
} from '../../src/changes/index.js';
import { createRegistry } from '../../src/identity/index.js';
import { appendEvents, createCheckpoint } from '../../src/ledger/index.js';
import { ChangeSettings } from '../../src/policy/index.js';
import { openStore } from '../../src/store/index.js';

/**
 * The gate's approval question on a busy ledger: 100,000 other entries before the change, then
 * its creation, an approval and a checkpoint. Prints one JSON line; bench/README.md records runs.
 */
const filler = Number(process.env['CHANGES_BENCH_ENTRIES'] ?? 100_000);

it(`answers findVerifiedApproval after ${filler} other entries`, async () => {
  const store = await openStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'pb-')), 's.db') });
  const a = generateKeyPairSync('ed25519');
  const b = generateKeyPairSync('ed25519');
  const registry = createRegistry([
    { name: 'A', publicKey: a.publicKey, source: 't' },
    { name: 'B', publicKey: b.publicKey, source: 't' },
  ]);
  const settings = ChangeSettings.parse({});
  const others = Array.from({ length: filler }, (_, i) => ({
    type: 'gate.decided',
    data: { decisionId: `d${i}`, rules: 'x'.repeat(600) },
  }));
  for (let i = 0; i < others.length; i += 10_000) await appendEvents(store, others.slice(i, i + 10_000));
  const now = new Date();
  const stub = createChange(
    {
      id: 'CHG-1',
      class: 'normal',
      title: 't',
      author: 'x',
      commits: ['c'.repeat(40)],
      environments: ['production'],
    },
    settings,
    now,
  );
  const author = (
    await proveStatement(changeStatement(stub, 'created', now), {
      kind: 'key',
      privateKey: a.privateKey,
      registry,
    })
  ).principal;
  const change = createChange(
    {
      id: 'CHG-1',
      class: 'normal',
      title: 't',
      author,
      commits: ['c'.repeat(40)],
      environments: ['production'],
    },
    settings,
    now,
  );
  await recordSignedTransition(
    store,
    change,
    'created',
    { kind: 'key', privateKey: a.privateKey, registry },
    now,
  );
  const bp = (
    await proveStatement(changeStatement(change, 'approved', now), {
      kind: 'key',
      privateKey: b.privateKey,
      registry,
    })
  ).principal;
  await recordSignedTransition(
    store,
    approveChange(change, bp, settings, now),
    'approved',
    { kind: 'key', privateKey: b.privateKey, registry },
    now,
  );
  const key = generateKeyPairSync('ed25519');
  await createCheckpoint(store, 'o', { name: 'o', privateKey: key.privateKey });
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    const r = await findVerifiedApproval(store, {
      changeId: 'CHG-1',
      registry,
      checkpointVerifiers: [{ name: 'o', publicKey: key.publicKey }],
      settings,
      environment: 'production',
      commit: 'c'.repeat(40),
      at: now,
    });
    times.push(performance.now() - t);
    if (!r.approved) throw new Error(r.reason);
  }
  const sorted = [...times].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const max = sorted.at(-1) ?? 0;
  console.log(
    JSON.stringify({
      bench: 'findVerifiedApproval',
      ledgerEntries: filler + 4,
      runs: times.length,
      medianMs: Number(median.toFixed(1)),
      maxMs: Number(max.toFixed(1)),
    }),
  );
  expect(times).toHaveLength(21);
  await store.close();
}, 300_000);
