import { GitError, runGit, runGitText } from '../kernel/index.js';
import {
  type ClassifiedChange,
  classifyChange,
  computeReviewFigures,
  type ForgeReviewResult,
  isoDate,
  type ReviewFigures,
} from './classify.js';
import { type SignatureKind, signedPayload } from './commit.js';
import { type Deployment, type DeploymentReview, locateChange, reviewDeployments } from './deployments.js';
import type { ForgeAdapter } from './forges/types.js';
import { type History, type HistoryWindow, readHistory } from './history.js';
import { type ObjectReader, openObjectReader } from './object-reader.js';
import { judgeOwnerReview, OwnersAtCommit, type SensitiveChange } from './owners.js';
import { listReleaseTags, type ReleasesReview, reviewReleases } from './releases.js';
import { type SignatureVerification, SignatureVerifier, type VerificationOutcome } from './signatures.js';

export interface ReviewAnalysisOptions {
  defaultBranch?: string;
  window: HistoryWindow;
  /** Absolute path of an ssh allowed-signers file. */
  allowedSignersFile?: string;
  /** Verify signatures (spawns ssh-keygen/gpg per signed change); default true. */
  verifySignatures?: boolean;
  /** At most this many signatures are verified (newest first); the rest are counted, not checked. */
  maxSignatureChecks?: number;
  forge?: ForgeAdapter;
  /** At most this many changes are looked up at the forge (newest first). */
  maxForgeLookups?: number;
  /** Allowed gate decisions from the store: the deployer is compared with authors and approvers. */
  deployments?: readonly Deployment[];
  /** Environments the policy names production (`pipelines.productionEnvironments`), besides names that say so. */
  productionEnvironments?: readonly string[];
}

export interface UnsignedMerge {
  commit: string;
  subject: string;
  date: string;
}

export interface SignatureFailure {
  commit: string;
  outcome: VerificationOutcome;
  reason: string;
}

export interface SignatureFigures {
  changes: number;
  signed: number;
  byKind: Record<SignatureKind, number>;
  outcomes: Record<VerificationOutcome, number>;
  /** Signed changes not verified because the verification budget ran out. */
  notChecked: number;
  unsignedMerges: UnsignedMerge[];
  failures: SignatureFailure[];
  /** Distinct reasons signatures could not be verified. */
  unverifiableReasons: string[];
}

export interface ReviewAnalysis {
  history: Omit<History, 'changes'>;
  changes: ClassifiedChange[];
  figures: ReviewFigures;
  sensitive: SensitiveChange[];
  signatures: SignatureFigures;
  /** Per change id, its verification (signed changes only). */
  verifications: Map<string, SignatureVerification>;
  forge?: { kind: string; requests: number; lookups: number; errors: number };
  /** Separation of duties with the deployer; absent when no deployments were given. */
  deployments?: DeploymentReview;
  /** What each release tag on the default branch added, and whether it was reviewed. */
  releases: ReleasesReview;
}

/**
 * Reads the default branch's history once and derives every source-control figure from it:
 * review verdicts, separation of duties, code-owner review of sensitive paths, signatures.
 */
export async function analyseReview(root: string, options: ReviewAnalysisOptions): Promise<ReviewAnalysis> {
  const history = await readHistory(root, {
    ...(options.defaultBranch === undefined ? {} : { defaultBranch: options.defaultBranch }),
    window: options.window,
  });
  const forgeResults = options.forge
    ? await askForge(options.forge, history, options.maxForgeLookups ?? 1000)
    : new Map<string, ForgeReviewResult>();
  const changes = history.changes.map((change) => classifyChange(change, forgeResults.get(change.commit)));
  const figures = computeReviewFigures(changes);

  const reader = await openObjectReader(root);
  const verifier = new SignatureVerifier(
    options.allowedSignersFile === undefined ? {} : { allowedSignersFile: options.allowedSignersFile },
  );
  try {
    const owners = new OwnersAtCommit(reader);
    const sensitive: SensitiveChange[] = [];
    for (const item of changes) {
      if ((item.change.sensitivePaths ?? []).length === 0) continue;
      // The rules in force before the change: a change to CODEOWNERS is judged by the previous owners.
      const base = item.change.parents[0] ?? item.change.commit;
      const judged = judgeOwnerReview(item, await owners.rulesAt(base).catch(() => undefined));
      if (judged) sensitive.push(judged);
    }
    const { signatures, verifications } = await measureSignatures(history, reader, verifier, options);
    const deployments = options.deployments
      ? await reviewDeployments(
          options.deployments,
          changes,
          (commit) => locateChange(reader, (id) => listAncestryPath(root, id, history.branch.head), commit),
          options.productionEnvironments,
        )
      : undefined;
    const releases = await readReleases(root, history, changes);
    const { changes: _changes, ...rest } = history;
    const analysis: ReviewAnalysis = {
      history: rest,
      changes,
      figures,
      sensitive,
      signatures,
      verifications,
      releases,
    };
    if (deployments) analysis.deployments = deployments;
    if (options.forge) {
      analysis.forge = {
        kind: options.forge.kind,
        requests: options.forge.requestCount,
        lookups: forgeResults.size,
        errors: [...forgeResults.values()].filter((result) => result.state === 'error').length,
      };
    }
    return analysis;
  } finally {
    await reader.close();
    await verifier.close();
  }
}

/** Tags on merged side branches are located one `git rev-list` each: at most this many, newest first. */
const maxTagLookups = 20;

/**
 * Release tags the branch head contains, split into releases over the changes read. A tag whose
 * commit is not on the first-parent line is located at the merge that brought it, for the newest
 * few created since the oldest change read; older ones lie outside the history anyway.
 */
async function readReleases(root: string, history: History, changes: readonly ClassifiedChange[]) {
  const head = history.branch.head;
  const tags = await listReleaseTags(
    (args) => runGitText(root, args),
    [`--merged=${head}`, '--sort=-creatordate'],
  );
  const since = (changes.at(-1)?.change.committerTime ?? 0) - 86_400;
  const byCommit = new Map(changes.map((item) => [item.change.commit, item]));
  const changeOf = new Map<string, string>();
  let lookups = 0;
  for (const tag of tags) {
    if (byCommit.has(tag.commit) || changeOf.has(tag.commit)) continue;
    if (!(tag.createdAt !== undefined && tag.createdAt >= since) || lookups >= maxTagLookups) continue;
    lookups += 1;
    const oldest = (await listAncestryPath(root, tag.commit, head))?.at(-1);
    const merge = oldest === undefined ? undefined : byCommit.get(oldest);
    // When the oldest descendant's first parent is the tagged commit, that commit is on the
    // first-parent line itself (before the history read): it is not this change's.
    if (merge && merge.change.parents[0] !== tag.commit) changeOf.set(tag.commit, merge.change.commit);
  }
  return reviewReleases(tags, changes, changeOf);
}

/** The first-parent commits from `commit` (excluded) to `head` that descend from it; undefined when not an ancestor. */
async function listAncestryPath(root: string, commit: string, head: string): Promise<string[] | undefined> {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  if (commit === head) return [];
  try {
    await runGit(root, ['merge-base', '--is-ancestor', commit, head]);
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
  const text = await runGitText(root, [
    'rev-list',
    '--first-parent',
    '--ancestry-path',
    `${commit}..${head}`,
  ]);
  return text === '' ? [] : text.split('\n');
}

async function askForge(
  forge: ForgeAdapter,
  history: History,
  maxLookups: number,
): Promise<Map<string, ForgeReviewResult>> {
  const results = new Map<string, ForgeReviewResult>();
  for (const change of history.changes) {
    if (results.size >= maxLookups) break;
    // Merges without a request reference are local merges: the forge has nothing to say.
    if (!change.request && change.parents.length > 1) continue;
    results.set(change.commit, await forge.reviewOf(change));
  }
  return results;
}

async function measureSignatures(
  history: History,
  reader: ObjectReader,
  verifier: SignatureVerifier,
  options: ReviewAnalysisOptions,
): Promise<{ signatures: SignatureFigures; verifications: Map<string, SignatureVerification> }> {
  const signatures: SignatureFigures = {
    changes: history.changes.length,
    signed: 0,
    byKind: { ssh: 0, openpgp: 0, x509: 0, unrecognised: 0 },
    outcomes: { good: 0, bad: 0, 'untrusted-key': 0, unverifiable: 0 },
    notChecked: 0,
    unsignedMerges: [],
    failures: [],
    unverifiableReasons: [],
  };
  const verifications = new Map<string, SignatureVerification>();
  const budget = options.verifySignatures === false ? 0 : (options.maxSignatureChecks ?? 5000);
  const toVerify: History['changes'] = [];
  for (const change of history.changes) {
    if (!change.signature) {
      if (change.parents.length > 1) {
        signatures.unsignedMerges.push({
          commit: change.commit,
          subject: change.subject,
          date: isoDate(change.committerTime),
        });
      }
      continue;
    }
    signatures.signed += 1;
    signatures.byKind[change.signature.kind] += 1;
    if (toVerify.length < budget) toVerify.push(change);
    else signatures.notChecked += 1;
  }
  const reasons = new Set<string>();
  // Two at a time: each verification is a process, and the machine is shared.
  const queue = [...toVerify];
  const worker = async () => {
    for (let change = queue.shift(); change; change = queue.shift()) {
      const object = await reader.read(change.commit);
      const signature = change.signature;
      if (!object || !signature) continue;
      const armor = extractSignatureArmor(object.content, signature.header);
      const verification = await verifier.verify(
        signature.kind,
        armor,
        signedPayload(object.content),
        change.committer.email,
      );
      verifications.set(change.commit, verification);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const change of toVerify) {
    const verification = verifications.get(change.commit);
    if (!verification) continue;
    signatures.outcomes[verification.outcome] += 1;
    if (verification.outcome === 'unverifiable') reasons.add(verification.reason);
    if (verification.outcome === 'bad' || verification.outcome === 'untrusted-key') {
      signatures.failures.push({
        commit: change.commit,
        outcome: verification.outcome,
        reason: verification.reason,
      });
    }
  }
  signatures.unverifiableReasons = [...reasons];
  return { signatures, verifications };
}

/** The armoured signature from a raw commit's signature header, continuation spaces removed. */
function extractSignatureArmor(raw: Buffer, header: string): string {
  const headerEnd = raw.indexOf('\n\n');
  const text = raw.subarray(0, headerEnd === -1 ? raw.length : headerEnd).toString('utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${header} `));
  if (start === -1) return '';
  const armor = [(lines[start] as string).slice(header.length + 1)];
  for (let index = start + 1; index < lines.length && (lines[index] as string).startsWith(' '); index++) {
    armor.push((lines[index] as string).slice(1));
  }
  return `${armor.join('\n')}\n`;
}
