import { z } from 'zod';
import type { ForgeReviewResult } from '../classify.js';
import type { Change } from '../history.js';
import type { Person } from '../identity.js';
import { describeForgeFailure } from './github.js';
import { type ForgeAdapterOptions, ForgeHttp, transportSettings } from './http.js';
import type { ForgeAdapter } from './types.js';

const GitLabUser = z.object({ username: z.string().max(255), name: z.string().max(255).optional() });
const Approvals = z.object({ approved_by: z.array(z.object({ user: GitLabUser })).default([]) });
const MergeRequest = z.object({
  iid: z.number().int(),
  state: z.string(),
  author: GitLabUser.nullable().optional(),
});

export interface GitLabOptions extends ForgeAdapterOptions {
  /** `group/project` or the numeric project id. */
  project: string;
}

function person(user: z.infer<typeof GitLabUser>): Person {
  return { name: user.name ?? '', email: '', login: user.username };
}

/** GitLab REST v4: merge request approvals (`/projects/{id}/merge_requests/{iid}/approvals`). */
export class GitLabAdapter implements ForgeAdapter {
  readonly kind = 'gitlab';
  private readonly http: ForgeHttp;
  private readonly project: string;

  constructor(options: GitLabOptions) {
    this.project = encodeURIComponent(options.project);
    this.http = new ForgeHttp({
      forge: 'gitlab',
      baseUrl: options.apiUrl ?? 'https://gitlab.com/api/v4',
      token: options.token,
      authorization: (token) => ({ 'private-token': token }),
      ...transportSettings(options),
    });
  }

  get requestCount(): number {
    return this.http.requestCount;
  }

  async reviewOf(change: Change): Promise<ForgeReviewResult> {
    try {
      if (change.request && change.request.system !== 'gitlab') {
        return { state: 'no-request', reason: `the change names a ${change.request.system} request` };
      }
      let iid = change.request?.number;
      let author: Person | undefined;
      if (iid === undefined) {
        const requests = z
          .array(MergeRequest)
          .parse(
            await this.http.getAll(
              `projects/${this.project}/repository/commits/${change.commit}/merge_requests`,
            ),
          );
        const merged = requests.find((request) => request.state === 'merged');
        if (!merged) return { state: 'no-request', reason: 'no merged merge request contains this commit' };
        iid = merged.iid;
        if (merged.author) author = person(merged.author);
      } else {
        const request = MergeRequest.parse(
          await this.http.get(`projects/${this.project}/merge_requests/${iid}`),
        );
        if (request.author) author = person(request.author);
      }
      const approvals = Approvals.parse(
        await this.http.get(`projects/${this.project}/merge_requests/${iid}/approvals`),
      );
      const result: ForgeReviewResult = {
        state: 'found',
        request: `merge request !${iid}`,
        approvals: approvals.approved_by.map((entry) => person(entry.user)),
        changesRequested: [],
      };
      if (author) result.author = author;
      return result;
    } catch (error) {
      return { state: 'error', reason: describeForgeFailure(error) };
    }
  }
}
