import { isAbsolute, join } from 'node:path';
import { describeError } from '../core/errors.js';
import type { RepositorySnapshot } from '../core/repository.js';
import type { Policy } from '../policy/schema.js';
import { analyseReview, type ReviewAnalysis } from './analysis.js';
import { SourceControlError } from './errors.js';
import { GitHubAdapter } from './forges/github.js';
import { GitLabAdapter } from './forges/gitlab.js';
import type { ForgeCache } from './forges/http.js';
import type { ForgeAdapter } from './forges/types.js';
import type { HistoryWindow } from './history.js';

/** What the source-control collectors share: one analysis of the history, or why there is none. */
export type ReviewFacts =
  | { state: 'not-git' }
  | { state: 'unreadable'; code: string; message: string }
  | { state: 'read'; analysis: ReviewAnalysis; forgeNote?: string };

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
  const forge = forgeFromPolicy(policy, process.env);
  const signers = allowedSignersPath(repository.root, policy);
  try {
    const analysis = await analyseReview(repository.root, {
      window: windowFromPolicy(policy),
      ...(policy.review.defaultBranch ? { defaultBranch: policy.review.defaultBranch } : {}),
      ...(signers ? { allowedSignersFile: signers } : {}),
      ...(forge.adapter ? { forge: forge.adapter } : {}),
      // Verifying spawns a process per signed change; do it only when the policy asks for signatures.
      verifySignatures: policy.review.signedChangesThreshold !== undefined || signers !== undefined,
    });
    return forge.note ? { state: 'read', analysis, forgeNote: forge.note } : { state: 'read', analysis };
  } catch (error) {
    if (error instanceof SourceControlError)
      return { state: 'unreadable', code: error.code, message: error.message };
    return { state: 'unreadable', code: 'SOURCE_CONTROL_HISTORY_UNREADABLE', message: describeError(error) };
  }
}
