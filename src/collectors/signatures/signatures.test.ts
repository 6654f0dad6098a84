import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { loadPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { signaturesCollector } from './index.js';

/** The policy as the engine would load it from the test repository's shipguard.yaml. */
async function policyOf(root: string) {
  return (await loadPolicy(root)).policy;
}

const context = { now: new Date('2026-06-01T00:00:00Z') };
let repository: TestRepository;
afterEach(() => repository.remove());

async function evaluate() {
  const snapshot = await RepositorySnapshot.open(repository.path);
  const facts = await signaturesCollector.collect(snapshot, await policyOf(repository.path), {
    now: testNow,
  });
  const policy = (await loadPolicy(repository.path)).policy;
  return signaturesCollector.checks[0]?.evaluate(facts, policy, context);
}

describe('signatures collector', () => {
  it('judges every change signed by default, and does not pass a threshold of 0 on unsigned changes', async () => {
    repository = createTestRepository();
    repository.commit('one');
    repository.commit('two');
    const judged = await evaluate();
    expect(judged?.status).toBe('fail');
    expect(judged?.summary).toContain('0 of 2 changes signed');
    writeFileSync(join(repository.path, 'shipguard.yaml'), 'review:\n  signedChangesThreshold: 0\n');
    repository.commit('policy');
    // A threshold of 0 asks for nothing; no signed change is still no evidence of signing.
    const lowered = await evaluate();
    expect(lowered?.status).toBe('fail');
    expect(lowered?.summary).toContain('0 of 3 changes signed');
    expect(lowered?.summary).toContain('no change carries a verified signature');
  });
});
