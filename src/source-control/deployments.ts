import { isProductionEnvironment } from '../policy/index.js';
import { type Store, viewTables } from '../store/index.js';
import { type ClassifiedChange, classifyChange, type ReviewVerdict } from './classify.js';
import { parseCommit } from './commit.js';
import { type Change, toChange } from './history.js';
import { describePerson, loginFromEmail, type Person } from './identity.js';
import type { ObjectReader } from './object-reader.js';

/** A deployment the gate allowed, as read from its `gate_decisions` row (migration 004-gate). */
export interface Deployment {
  id: string;
  environment: string;
  decidedAt: string;
  deployer: string;
  /** The source commit the decision names; absent when the gate could not establish it. */
  commit?: string;
  /** What the gate's provenance rule said (absent: the environment did not run it). */
  provenance?: { outcome: string; reason: string };
  /** The change that let the deployment through a freeze (an approved emergency change), if any. */
  freezeOverride?: string;
}

// A type alias, not an interface: Kysely needs an index-compatible record.
type GateDecisionRow = {
  id: string;
  environment: string;
  result: string;
  decided_at: string;
  document: string;
};

const maxDeployments = 5000;
const maxDocumentBytes = 1024 * 1024;
const commitPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** How the gate's `source-reviewed` rule names the commit: `commit <id> is on …` / `… is not reachable`. */
const ruleCommit = /^commit ([0-9a-f]{40}(?:[0-9a-f]{24})?) is /;

/** The allowed decisions in the store, newest first (at most 5,000). Rows that cannot be read are counted. */
export async function readDeployments(
  store: Store,
): Promise<{ deployments: Deployment[]; unreadable: number }> {
  const db = viewTables<{ gate_decisions: GateDecisionRow }>(store.db);
  const rows = await db
    .selectFrom('gate_decisions')
    .select(['id', 'environment', 'result', 'decided_at', 'document'])
    .where('result', '=', 'allow')
    .orderBy('decided_at', 'desc')
    .orderBy('id')
    .limit(maxDeployments)
    .execute();
  const deployments: Deployment[] = [];
  let unreadable = 0;
  for (const row of rows) {
    const deployment = toDeployment(row);
    if (deployment) deployments.push(deployment);
    else unreadable += 1;
  }
  return { deployments, unreadable };
}

/** One row to a deployment; undefined for a document that is not a gate decision. Exported for tests. */
export function toDeployment(row: GateDecisionRow): Deployment | undefined {
  if (row.document.length > maxDocumentBytes) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(row.document);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null) return undefined;
  const fields = document as Record<string, unknown>;
  const deployer = fields['deployer'];
  if (typeof deployer !== 'string' || deployer.trim() === '') return undefined;
  const deployment: Deployment = {
    id: row.id,
    environment: row.environment,
    decidedAt: row.decided_at,
    deployer: deployer.trim().slice(0, 200),
  };
  const commit = commitOf(fields);
  if (commit) deployment.commit = commit;
  const provenance = ruleOf(fields, 'provenance');
  if (provenance) deployment.provenance = provenance;
  const freezeOverride = overrideOf(fields, 'freeze');
  if (freezeOverride) deployment.freezeOverride = freezeOverride;
  return deployment;
}

/** The change named by the decision's override of a rule (`overrides: [{ rule, change }]`). */
function overrideOf(fields: Record<string, unknown>, wanted: string): string | undefined {
  const overrides = fields['overrides'];
  if (!Array.isArray(overrides)) return undefined;
  for (const override of overrides.slice(0, 20)) {
    if (typeof override !== 'object' || override === null) continue;
    const { rule, change } = override as Record<string, unknown>;
    if (rule === wanted && typeof change === 'string' && change !== '') return change.slice(0, 100);
  }
  return undefined;
}

/** A rule's outcome and reason from the decision's `rules`, bounded. */
function ruleOf(
  fields: Record<string, unknown>,
  wanted: string,
): { outcome: string; reason: string } | undefined {
  const rules = fields['rules'];
  if (!Array.isArray(rules)) return undefined;
  for (const rule of rules.slice(0, 50)) {
    if (typeof rule !== 'object' || rule === null) continue;
    const { id, outcome, reason } = rule as Record<string, unknown>;
    if (id !== wanted || typeof outcome !== 'string') continue;
    return { outcome: outcome.slice(0, 20), reason: typeof reason === 'string' ? reason.slice(0, 300) : '' };
  }
  return undefined;
}

function commitOf(fields: Record<string, unknown>): string | undefined {
  // A field naming the source commit, should the gate record one, wins over the rule's sentence.
  for (const value of [
    fields['sourceCommit'],
    (fields['source'] as Record<string, unknown> | null)?.['commit'],
  ]) {
    if (typeof value === 'string' && commitPattern.test(value)) return value;
  }
  const rules = fields['rules'];
  if (!Array.isArray(rules)) return undefined;
  for (const rule of rules.slice(0, 50)) {
    if (typeof rule !== 'object' || rule === null) continue;
    const { id, reason } = rule as Record<string, unknown>;
    if (id !== 'source-reviewed' || typeof reason !== 'string') continue;
    const match = ruleCommit.exec(reason.slice(0, 200));
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Whether a deployer name (a login, a name, an e-mail or `Name <email>`) names this person. */
export function deployerIs(deployer: string, person: Person): boolean {
  const keys = new Set<string>();
  const open = deployer.indexOf('<');
  const close = deployer.indexOf('>', open);
  if (open !== -1 && close !== -1) {
    keys.add(deployer.slice(0, open).trim().toLowerCase());
    keys.add(
      deployer
        .slice(open + 1, close)
        .trim()
        .toLowerCase(),
    );
  } else {
    keys.add(deployer.trim().replace(/^@/, '').toLowerCase());
  }
  keys.delete('');
  const login = person.login ?? loginFromEmail(person.email);
  return [person.name, person.email, login ?? ''].some(
    (value) => value.trim() !== '' && keys.has(value.trim().toLowerCase().replace(/\s+/g, ' ')),
  );
}

export type DeploymentIssueKind = 'deployer-is-author' | 'deployer-is-approver';

export interface DeploymentIssue {
  deployment: string;
  environment: string;
  decidedAt: string;
  deployer: string;
  commit: string;
  /** The first-parent change that brought the commit to the default branch. */
  change: string;
  kind: DeploymentIssueKind;
  /** The author or approver the deployer is. */
  other: string;
}

export interface DeploymentReview {
  /** Allowed production deployments read from the store. */
  production: number;
  /** Of those, how many could be compared with the history (commit known and on the branch). */
  compared: number;
  issues: DeploymentIssue[];
  /** Deployments that could not be compared, and why (at most 50). */
  skipped: { deployment: string; reason: string }[];
  /** Each compared deployment's change and its review verdict (at most 500, newest decisions first). */
  changes: DeployedChange[];
}

export interface DeployedChange {
  deployment: string;
  environment: string;
  decidedAt: string;
  commit: string;
  /** The first-parent change that brought the commit to the default branch. */
  change: string;
  subject: string;
  verdict: ReviewVerdict;
  reason: string;
  /**
   * Whether that change lies in the history read (and so was judged with the forge's approvals);
   * one found before it was classified from the commit alone.
   */
  inHistory: boolean;
}

/**
 * Separation of duties with the deployer: for each allowed production deployment, the deployer
 * must be neither an author of the deployed change nor its approver. The change is the
 * first-parent change that brought the deployed commit to the default branch.
 */
export async function reviewDeployments(
  deployments: readonly Deployment[],
  changes: readonly ClassifiedChange[],
  locate: (commit: string) => Promise<ClassifiedChange | undefined>,
  productionEnvironments: readonly string[] = [],
): Promise<DeploymentReview> {
  const byCommit = new Map<string, ClassifiedChange>();
  for (const item of changes) byCommit.set(item.change.commit, item);
  const review: DeploymentReview = { production: 0, compared: 0, issues: [], skipped: [], changes: [] };
  const skip = (deployment: Deployment, reason: string) => {
    if (review.skipped.length < 50) review.skipped.push({ deployment: deployment.id, reason });
  };
  for (const deployment of deployments) {
    if (!isProductionEnvironment(deployment.environment, productionEnvironments)) continue;
    review.production += 1;
    if (!deployment.commit) {
      skip(deployment, 'the decision names no source commit');
      continue;
    }
    const item = byCommit.get(deployment.commit) ?? (await locate(deployment.commit));
    if (!item) {
      skip(deployment, `commit ${deployment.commit.slice(0, 12)} is not on the default branch`);
      continue;
    }
    review.compared += 1;
    if (review.changes.length < 500) {
      review.changes.push({
        deployment: deployment.id,
        environment: deployment.environment,
        decidedAt: deployment.decidedAt,
        commit: deployment.commit,
        change: item.change.commit,
        subject: item.change.subject,
        verdict: item.verdict,
        reason: item.reason,
        inHistory: byCommit.has(item.change.commit),
      });
    }
    const base = {
      deployment: deployment.id,
      environment: deployment.environment,
      decidedAt: deployment.decidedAt,
      deployer: deployment.deployer,
      commit: deployment.commit,
      change: item.change.commit,
    };
    const author = item.authors.find((person) => deployerIs(deployment.deployer, person));
    if (author) review.issues.push({ ...base, kind: 'deployer-is-author', other: describePerson(author) });
    const approver = [...item.approvers, ...item.selfApprovals].find((person) =>
      deployerIs(deployment.deployer, person),
    );
    if (approver)
      review.issues.push({ ...base, kind: 'deployer-is-approver', other: describePerson(approver) });
  }
  return review;
}

/**
 * Finds the first-parent change that brought `commit` to the branch head: the commit itself when
 * it is on the first-parent line, else the merge that introduced it. Undefined when the commit is
 * not an ancestor of the head (or not in the repository).
 */
export async function locateChange(
  reader: ObjectReader,
  listAncestryPath: (commit: string) => Promise<string[] | undefined>,
  commit: string,
): Promise<ClassifiedChange | undefined> {
  const path = await listAncestryPath(commit);
  if (path === undefined) return undefined;
  let id = commit;
  const oldest = path[path.length - 1];
  if (oldest !== undefined) {
    const object = await reader.read(oldest);
    if (object?.type !== 'commit') return undefined;
    if (parseCommit(oldest, object.content).parents[0] !== commit) id = oldest;
  }
  const change = await readChange(reader, id);
  return change ? classifyChange(change) : undefined;
}

async function readChange(reader: ObjectReader, id: string): Promise<Change | undefined> {
  const object = await reader.read(id);
  if (object?.type !== 'commit') return undefined;
  const change = toChange(parseCommit(id, object.content));
  const second = change.parents[1];
  if (second) {
    const tip = await reader.read(second);
    if (tip?.type === 'commit') change.mergedAuthor = parseCommit(second, tip.content).author;
  }
  return change;
}
