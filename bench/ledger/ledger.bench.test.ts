/**
 * Ledger benchmark: durable appends per second with batched commits on SQLite, then inclusion
 * proof generation and verification, and checkpoint verification, at the final size.
 * Prints one JSON line of results; bench/README.md records measured runs.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  appendEvents,
  createCheckpoint,
  proveInclusion,
  verifyCheckpoint,
  verifyInclusion,
} from '../../src/ledger/index.js';
import { openStore } from '../../src/store/index.js';

const entries = Number(process.env['LEDGER_BENCH_ENTRIES'] ?? 100_000);
const batch = Number(process.env['LEDGER_BENCH_BATCH'] ?? 1_000);
const proofs = 1_000;

it(`appends ${entries} entries in batches of ${batch}, then proves`, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-ledger-bench-'));
  const store = await openStore({ kind: 'sqlite', path: join(folder, 'ledger.db') });
  try {
    const started = performance.now();
    for (let done = 0; done < entries; done += batch) {
      const events = Array.from({ length: Math.min(batch, entries - done) }, (_, offset) => ({
        type: 'bench.event',
        data: { n: done + offset, digest: 'sha256:0123456789abcdef0123456789abcdef' },
      }));
      await appendEvents(store, events);
    }
    const appendSeconds = (performance.now() - started) / 1000;

    const indexes = Array.from(
      { length: proofs },
      (_, i) => Math.floor((i * 7919 * entries) / proofs) % entries,
    );
    const generated = [];
    const proveStarted = performance.now();
    for (const index of indexes) generated.push(await proveInclusion(store, index));
    const proveMs = (performance.now() - proveStarted) / proofs;
    const verifyStarted = performance.now();
    for (const proof of generated) verifyInclusion(proof);
    const verifyMs = (performance.now() - verifyStarted) / proofs;

    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const note = await createCheckpoint(store, 'bench/ledger', { name: 'bench', privateKey });
    const checkpointStarted = performance.now();
    for (let i = 0; i < proofs; i += 1) verifyCheckpoint(note, [{ name: 'bench', publicKey }]);
    const checkpointMs = (performance.now() - checkpointStarted) / proofs;

    const result = {
      entries,
      batch,
      appendsPerSecond: Math.round(entries / appendSeconds),
      inclusionProofGenerationMs: Number(proveMs.toFixed(3)),
      inclusionProofVerificationMs: Number(verifyMs.toFixed(4)),
      checkpointVerificationMs: Number(checkpointMs.toFixed(4)),
      node: process.version,
    };
    console.log(JSON.stringify(result));
    expect(result.appendsPerSecond).toBeGreaterThan(0);
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
