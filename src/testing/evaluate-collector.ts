import { onTestFinished } from 'vitest';
import type { AnyCollector } from '../collectors/index.js';
import type { CheckResult } from '../kernel/index.js';
import { RepositorySnapshot } from '../kernel/index.js';
import { defaultPolicy, type Policy } from '../policy/index.js';
import { createTestRepository, type TestRepository } from './git-repository.js';

/** The clock collector tests use unless they say otherwise. */
export const testNow = new Date('2026-06-01T00:00:00Z');

/** The evidence item a check gives for a line of a file, with its note. */
export function fileEvidence(path: string, line: number, note: string) {
  return { kind: 'file', path, line, note };
}

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

/** A test repository in a temporary folder, removed when the test finishes. */
export function temporaryRepository(options: { git?: boolean } = {}): TestRepository {
  const repository = createTestRepository(options);
  onTestFinished(() => repository.remove());
  return repository;
}

/**
 * Writes `files` into a temporary repository (committed, unless `git: false`) and runs one
 * collector on it as the engine does; the folder is removed when the test finishes.
 */
export async function evaluateCollectorOnFiles<Facts>(
  collector: AnyCollector,
  files: Record<string, string>,
  options: { git?: boolean; policy?: Policy; now?: Date } = {},
): Promise<{ snapshot: RepositorySnapshot; facts: Facts; results: Record<string, CheckResult | undefined> }> {
  const git = options.git !== false;
  const repository = temporaryRepository({ git });
  repository.write(files);
  if (git) repository.commit('initial');
  return evaluateCollector<Facts>(collector, repository.path, options);
}
