import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { saveDecisionRow } from '../../changes/index.js';
import { defaultPolicy, type Policy } from '../../policy/index.js';
import { createStoreAccess, openStore } from '../../store/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { attestationPresent } from './checks.js';
import { collectProvenance } from './collect.js';

const policy: Policy = { ...defaultPolicy(), auditPeriod: '2026-05-01..2026-05-31' };

/** A decision row as the gate writes it (src/gate/gather.ts), with its provenance rule. */
function decision(id: string, decidedAt: string, provenance?: 'pass' | 'fail', result = 'allow') {
  return {
    id,
    environment: 'production',
    artifact: `sha256:${'0'.repeat(64)}`,
    result,
    decidedAt,
    ledgerIndex: 0,
    document: {
      result,
      environment: 'production',
      at: decidedAt,
      deployer: 'ada',
      rules: provenance
        ? [{ id: 'provenance', outcome: provenance, reason: `signature by ci-key ${provenance}` }]
        : [{ id: 'secrets', outcome: 'pass', reason: 'none' }],
      overrides: [],
    },
  };
}

async function judge(rows: ReturnType<typeof decision>[] | undefined, judged: Policy = policy) {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-provenance-collector-'));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, 'store.db');
  if (rows) {
    const store = await openStore({ kind: 'sqlite', path });
    for (const row of rows) await saveDecisionRow(store, row);
    await store.close();
  }
  const access = createStoreAccess({ kind: 'sqlite', path });
  const facts = await collectProvenance(access);
  await access.close();
  return attestationPresent.evaluate(facts, judged, { now: testNow });
}

describe('provenance/attestation-present', () => {
  it('passes deployments in the period whose provenance the gate verified; denials do not count', async () => {
    const result = await judge([
      decision('d1', '2026-05-04T10:00:00.000Z', 'pass'),
      decision('d2', '2026-05-05T10:00:00.000Z', 'fail', 'deny'),
      decision('d3', '2026-04-02T10:00:00.000Z'),
    ]);
    expect(result.status).toBe('pass');
    expect(result.evidence).toHaveLength(1);
    expect(result.evidence[0]).toMatchObject({ kind: 'record', level: 'verified' });
  });

  it('fails a deployment allowed with the provenance rule off, naming it', async () => {
    const result = await judge([
      decision('d1', '2026-05-04T10:00:00.000Z', 'pass'),
      decision('d4', '2026-05-06T10:00:00.000Z'),
    ]);
    expect(result.status).toBe('fail');
    expect(result.findings.map((finding) => finding.message)).toEqual([
      'Deployment d4 to production at 2026-05-06T10:00:00.000Z was allowed without verified provenance (the provenance rule did not run).',
    ]);
  });

  it('is unknown without a store, and with no deployment in the period', async () => {
    expect((await judge(undefined)).status).toBe('unknown');
    const outside = await judge([decision('d1', '2026-04-04T10:00:00.000Z', 'pass')]);
    expect(outside.status).toBe('unknown');
    expect(outside.howToProvide).toContain('shipguard gate --attestation');
  });
});
