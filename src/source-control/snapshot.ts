import { isAbsolute, join } from 'node:path';
import type { RepositorySnapshot } from '../kernel/index.js';
import { describeError } from '../kernel/index.js';
import { auditPeriodPattern, type Policy } from '../policy/index.js';
import { noStoreAccess, type Store, type StoreAccess } from '../store/index.js';
import { analyseReview, type ReviewAnalysis } from './analysis.js';
import { type Deployment, readDeployments } from './deployments.js';
import { SourceControlError } from './errors.js';
import { GitHubAdapter } from './forges/github.js';
import { GitLabAdapter } from './forges/gitlab.js';
import type { ForgeCache } from './forges/http.js';
import { StoreForgeCache } from './forges/store-cache.js';
import type { ForgeAdapter } from './forges/types.js';
import type { HistoryWindow } from './history.js';

/** What the source-control collectors share: one analysis of the history, or why there is none. */
export type ReviewFacts =
  | { state: 'not-git' }
  | { state: 'unreadable'; code: string; message: string }
  | {
      state: 'read';
      analysis: ReviewAnalysis;
      forgeNote?: string;
      /** Why deployments were not compared with the history (no store, or it could not be read). */
      deploymentNote?: string;
    };

/** The store the source-control evidence uses, when there is one, or why there is none. */
export interface ReviewStore {
  store?: Store;
  note?: string;
}

/** The allowed gate decisions, or a note saying why they are not known. Never throws. */
export async function deploymentsFromStore(
  access: ReviewStore,
): Promise<{ deployments?: Deployment[]; note?: string }> {
  if (!access.store) {
    return { note: `${access.note ?? 'no store'}: deployments were not compared with the history` };
  }
  try {
    const { deployments, unreadable } = await readDeployments(access.store);
    return unreadable > 0
      ? { deployments, note: `${unreadable} gate decision(s) in the store could not be read` }
      : { deployments };
  } catch (error) {
    return { note: `the gate decisions could not be read: ${describeError(error)}` };
  }
}

const analyses = new WeakMap<RepositorySnapshot, Promise<ReviewFacts>>();

export interface ForgeSetup {
  adapter?: ForgeAdapter;
  /** Why no forge is asked, when one is configured but cannot be used. */
  note?: string;
}

/**
 * The forge adapter the policy names, with the token from the named variable of `env` (the
 * environment as the command read it; nothing here reads the environment itself).
 */
export function forgeFromPolicy(
  policy: Policy,
  env: Readonly<Record<string, string | undefined>>,
  cache?: ForgeCache,
): ForgeSetup {
  const forge = policy.review.forge;
  if (!forge) return {};
  const token = env[forge.tokenEnv];
  if (!token) return { note: `review.forge is set but ${forge.tokenEnv} is empty: approvals were not read` };
  const options = {
    project: forge.project,
    token,
    ...(forge.apiUrl ? { apiUrl: forge.apiUrl } : {}),
    ...(cache ? { cache } : {}),
  };
  return { adapter: forge.kind === 'github' ? new GitHubAdapter(options) : new GitLabAdapter(options) };
}

/**
 * The changes to read: the audit period when the assessment set one (every change in it; a
 * `review.last` cap that cuts it leaves the history incomplete), else `review.last` (default
 * 1000) and `review.since`, as `shipguard review` reads.
 */
export function windowFromPolicy(policy: Policy): HistoryWindow {
  const period = policy.auditPeriod ? auditPeriodPattern.exec(policy.auditPeriod) : null;
  if (period?.[1] && period[2]) {
    return {
      since: period[1],
      until: period[2],
      ...(policy.review.last === undefined ? {} : { last: policy.review.last }),
    };
  }
  return {
    last: policy.review.last ?? 1000,
    ...(policy.review.since ? { since: policy.review.since } : {}),
  };
}

export function allowedSignersPath(root: string, policy: Policy): string | undefined {
  const file = policy.review.allowedSignersFile;
  if (!file) return undefined;
  return isAbsolute(file) ? file : join(root, file);
}

/** What the analysis reads besides the repository: the command's store and environment. */
export interface SnapshotContext {
  store?: StoreAccess;
  environment?: Readonly<Record<string, string | undefined>>;
}

/** One analysis per snapshot, shared by the review and signatures collectors. */
export function analyseSnapshot(
  repository: RepositorySnapshot,
  policy: Policy,
  context: SnapshotContext = {},
): Promise<ReviewFacts> {
  let pending = analyses.get(repository);
  if (!pending) {
    pending = analyseUncached(repository, policy, context);
    analyses.set(repository, pending);
  }
  return pending;
}

async function analyseUncached(
  repository: RepositorySnapshot,
  policy: Policy,
  context: SnapshotContext,
): Promise<ReviewFacts> {
  if (!repository.isGitRepository) return { state: 'not-git' };
  // The command's store is shared and closed by the command, not here.
  const access = await (context.store ?? noStoreAccess()).existing();
  try {
    const cache = access.store ? new StoreForgeCache(access.store) : undefined;
    const forge = forgeFromPolicy(policy, context.environment ?? {}, cache);
    const { deployments, note } = await deploymentsFromStore(access);
    const signers = allowedSignersPath(repository.root, policy);
    const analysis = await analyseReview(repository.root, {
      window: windowFromPolicy(policy),
      ...(policy.review.defaultBranch ? { defaultBranch: policy.review.defaultBranch } : {}),
      ...(signers ? { allowedSignersFile: signers } : {}),
      ...(forge.adapter ? { forge: forge.adapter } : {}),
      ...(deployments ? { deployments } : {}),
      productionEnvironments: policy.pipelines.productionEnvironments,
      // Verifying spawns a process per signed change; the policy asks for signatures unless set to 0.
      verifySignatures: policy.review.signedChangesThreshold > 0 || signers !== undefined,
    });
    return {
      state: 'read',
      analysis,
      ...(forge.note ? { forgeNote: forge.note } : {}),
      ...(note ? { deploymentNote: note } : {}),
    };
  } catch (error) {
    if (error instanceof SourceControlError)
      return { state: 'unreadable', code: error.code, message: error.message };
    return { state: 'unreadable', code: 'SOURCE_CONTROL_HISTORY_UNREADABLE', message: describeError(error) };
  }
}
