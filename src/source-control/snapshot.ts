import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { RepositorySnapshot } from '../kernel/index.js';
import { describeError } from '../kernel/index.js';
import type { Policy } from '../policy/index.js';
import {
  describeStoreLocation,
  openStore,
  resolveStoreLocation,
  type Store,
  type StoreLocation,
} from '../store/index.js';
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

/**
 * Opens the store at the default location ($SHIPGUARD_DB, else .shipguard/shipguard.db at the
 * repository root) only when it exists: reading evidence never creates one.
 */
export async function openExistingStore(root: string, env: NodeJS.ProcessEnv): Promise<ReviewStore> {
  let location: StoreLocation;
  try {
    location = resolveStoreLocation({ env, repositoryRoot: root, cwd: process.cwd() });
  } catch (error) {
    return { note: `the store location is invalid: ${describeError(error)}` };
  }
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    return { note: `no store at ${describeStoreLocation(location)}` };
  }
  try {
    return { store: await openStore(location, { busyTimeoutMs: 2_000, connectTimeoutMs: 5_000 }) };
  } catch (error) {
    return { note: `the store could not be opened: ${describeError(error)}` };
  }
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

/** The forge adapter the policy names, with the token from the named environment variable. */
export function forgeFromPolicy(policy: Policy, env: NodeJS.ProcessEnv, cache?: ForgeCache): ForgeSetup {
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

export function windowFromPolicy(policy: Policy): HistoryWindow {
  return { last: policy.review.last, ...(policy.review.since ? { since: policy.review.since } : {}) };
}

export function allowedSignersPath(root: string, policy: Policy): string | undefined {
  const file = policy.review.allowedSignersFile;
  if (!file) return undefined;
  return isAbsolute(file) ? file : join(root, file);
}

/** One analysis per snapshot, shared by the review and signatures collectors. */
export function analyseSnapshot(repository: RepositorySnapshot, policy: Policy): Promise<ReviewFacts> {
  let pending = analyses.get(repository);
  if (!pending) {
    pending = analyseUncached(repository, policy);
    analyses.set(repository, pending);
  }
  return pending;
}

async function analyseUncached(repository: RepositorySnapshot, policy: Policy): Promise<ReviewFacts> {
  if (!repository.isGitRepository) return { state: 'not-git' };
  const access = await openExistingStore(repository.root, process.env);
  try {
    const cache = access.store ? new StoreForgeCache(access.store) : undefined;
    const forge = forgeFromPolicy(policy, process.env, cache);
    const { deployments, note } = await deploymentsFromStore(access);
    const signers = allowedSignersPath(repository.root, policy);
    const analysis = await analyseReview(repository.root, {
      window: windowFromPolicy(policy),
      ...(policy.review.defaultBranch ? { defaultBranch: policy.review.defaultBranch } : {}),
      ...(signers ? { allowedSignersFile: signers } : {}),
      ...(forge.adapter ? { forge: forge.adapter } : {}),
      ...(deployments ? { deployments } : {}),
      // Verifying spawns a process per signed change; do it only when the policy asks for signatures.
      verifySignatures: policy.review.signedChangesThreshold !== undefined || signers !== undefined,
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
  } finally {
    await access.store?.close().catch(() => {});
  }
}
