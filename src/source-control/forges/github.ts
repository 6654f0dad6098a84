import { z } from 'zod';
import type { ForgeReviewResult } from '../classify.js';
import type { Change } from '../history.js';
import type { Person } from '../identity.js';
import { ForgeError } from './errors.js';
import { type ForgeAdapterOptions, ForgeHttp, transportSettings } from './http.js';
import type { ForgeAdapter } from './types.js';

const User = z.object({ login: z.string().max(100) }).nullable();
const Review = z.object({
  user: User,
  state: z.string(),
  submitted_at: z.string().nullable().optional(),
  commit_id: z.string().nullable().optional(),
});
const Pull = z.object({ number: z.number().int(), user: User, merged_at: z.string().nullable().optional() });

export interface GitHubOptions extends ForgeAdapterOptions {
  /** `owner/repo`. */
  project: string;
}

function person(login: string): Person {
  return { name: '', email: '', login };
}

/**
 * GitHub REST: pull request reviews (`/repos/{owner}/{repo}/pulls/{n}/reviews`) and the pull
 * request of a commit (`/commits/{sha}/pulls`). A reviewer's latest APPROVED or
 * CHANGES_REQUESTED review is their decision, as GitHub counts it; COMMENTED reviews do not count.
 */
export class GitHubAdapter implements ForgeAdapter {
  readonly kind = 'github';
  private readonly http: ForgeHttp;
  private readonly repo: string;

  constructor(options: GitHubOptions) {
    if (!/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/.test(options.project)) {
      throw new ForgeError('FORGE_HTTP_ERROR', `not a GitHub owner/repo: ${options.project.slice(0, 100)}`);
    }
    this.repo = options.project;
    this.http = new ForgeHttp({
      forge: 'github',
      baseUrl: options.apiUrl ?? 'https://api.github.com',
      token: options.token,
      authorization: (token) => ({ authorization: `Bearer ${token}`, 'x-github-api-version': '2022-11-28' }),
      ...transportSettings(options),
    });
  }

  get requestCount(): number {
    return this.http.requestCount;
  }

  async reviewOf(change: Change): Promise<ForgeReviewResult> {
    try {
      let number = change.request?.system === 'github' ? change.request.number : undefined;
      let author: Person | undefined;
      if (change.request && change.request.system !== 'github') {
        return { state: 'no-request', reason: `the change names a ${change.request.system} request` };
      }
      if (number === undefined) {
        const pulls = z
          .array(Pull)
          .parse(await this.http.getAll(`repos/${this.repo}/commits/${change.commit}/pulls?per_page=100`));
        const merged = pulls.find((pull) => pull.merged_at);
        if (!merged) return { state: 'no-request', reason: 'no merged pull request contains this commit' };
        number = merged.number;
        if (merged.user) author = person(merged.user.login);
      } else {
        const pull = Pull.parse(await this.http.get(`repos/${this.repo}/pulls/${number}`));
        if (pull.user) author = person(pull.user.login);
      }
      const reviews = z
        .array(Review)
        .parse(await this.http.getAll(`repos/${this.repo}/pulls/${number}/reviews?per_page=100`));
      const decisions = new Map<string, string>();
      for (const review of reviews) {
        if (!review.user) continue;
        if (
          review.state === 'APPROVED' ||
          review.state === 'CHANGES_REQUESTED' ||
          review.state === 'DISMISSED'
        ) {
          decisions.set(review.user.login, review.state);
        }
      }
      const result: ForgeReviewResult = {
        state: 'found',
        request: `pull request #${number}`,
        approvals: [...decisions].filter(([, state]) => state === 'APPROVED').map(([login]) => person(login)),
        changesRequested: [...decisions]
          .filter(([, state]) => state === 'CHANGES_REQUESTED')
          .map(([login]) => person(login)),
      };
      if (author) result.author = author;
      return result;
    } catch (error) {
      return { state: 'error', reason: describeForgeFailure(error) };
    }
  }
}

export function describeForgeFailure(error: unknown): string {
  if (error instanceof ForgeError) return `${error.message} [${error.code}]`;
  if (error instanceof z.ZodError)
    return 'the forge answered in an unexpected shape [FORGE_MALFORMED_RESPONSE]';
  return error instanceof Error ? error.message : String(error);
}
