import type { AnyCollector } from '../collectors/index.js';
import type { CheckResult } from '../kernel/index.js';
import { RepositorySnapshot } from '../kernel/index.js';
import { defaultPolicy, type Policy } from '../policy/index.js';

/** The clock collector tests use unless they say otherwise. */
export const testNow = new Date('2026-06-01T00:00:00Z');

/**
 * Runs one collector on a folder the way the engine does: one snapshot, the policy given to both
 * the collector and its checks. Returns the facts and every check's result by check id.
 */
export async function evaluateCollector<Facts>(
  collector: AnyCollector,
  path: string,
  options: { policy?: Policy; now?: Date } = {},
): Promise<{ snapshot: RepositorySnapshot; facts: Facts; results: Record<string, CheckResult | undefined> }> {
  const policy = options.policy ?? defaultPolicy();
  const snapshot = await RepositorySnapshot.open(path);
  const context = { now: options.now ?? testNow };
  const facts = (await collector.collect(snapshot, policy, context)) as Facts;
  const results = Object.fromEntries(
    collector.checks.map((check) => [check.id, check.evaluate(facts, policy, context)]),
  );
  return { snapshot, facts, results };
}
