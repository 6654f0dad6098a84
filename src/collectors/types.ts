import type { CheckResult, RepositorySnapshot, Severity } from '../kernel/index.js';
import type { Policy } from '../policy/index.js';
import type { StoreAccess } from '../store/index.js';

/** What a check knows besides facts and policy: the clock, so that time is an input, not I/O. */
export interface CheckContext {
  now: Date;
}

/**
 * What a collector is given besides the repository and policy, so that it never reads the clock,
 * the environment or a store location itself: the command resolved them once.
 */
export interface CollectContext {
  now: Date;
  /**
   * The command's store (`--db`, SHIPGUARD_DB or the default), shared. Collectors read evidence
   * from it and may keep caches there (parsed lockfiles, clean blobs), never evidence. Absent: no store.
   */
  store?: StoreAccess;
  /** Variables the policy may name (a forge token's `tokenEnv`), as the command read them. */
  environment?: Readonly<Record<string, string | undefined>>;
}

/** A pure function of facts and policy. It does no I/O. */
export interface Check<Facts> {
  /** `<collector id>/<name>`, e.g. `codeowners/coverage`; also the SARIF ruleId. */
  id: string;
  title: string;
  /** Severity of the findings this check raises when it fails. */
  severity: Severity;
  /** What to do when it fails, in one or two sentences. */
  remediation: string;
  evaluate(facts: Facts, policy: Policy, context: CheckContext): CheckResult;
}

/**
 * A collector reads the world once and returns typed facts; its checks judge them.
 * One folder per collector under src/collectors/, registered in src/collectors/index.ts.
 */
export interface Collector<Facts> {
  id: string;
  title: string;
  /**
   * Reads the evidence. The policy is given for settings that shape what is read (windows, paths);
   * the context carries the clock, so no collector reads the time itself.
   */
  collect(repository: RepositorySnapshot, policy: Policy, context: CollectContext): Promise<Facts>;
  checks: readonly Check<Facts>[];
}

/** Lets collectors with different fact types share one registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry erases each collector's own fact type.
export type AnyCollector = Collector<any>;
