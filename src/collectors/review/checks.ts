import type { CheckResult, Evidence, EvidenceLevel } from '../../kernel/index.js';
import type { ClassifiedChange, ReviewAnalysis } from '../../source-control/index.js';
import { describePerson, historyGap, reviewEvidenceLevel } from '../../source-control/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { ReviewFacts } from './collect.js';

const maxFindings = 50;

/** The shared answers for history that could not be read; undefined when it was. */
export function unreadableHistory(checkId: string, facts: ReviewFacts): CheckResult | undefined {
  if (facts.state === 'not-git') {
    return unknown(
      checkId,
      'not a git repository: no history to read',
      'Run the assessment on a git clone of the repository.',
    );
  }
  if (facts.state === 'unreadable') {
    return unknown(
      checkId,
      `the history could not be read: ${facts.message} [${facts.code}]`,
      facts.code === 'SOURCE_CONTROL_NO_DEFAULT_BRANCH'
        ? 'Name the default branch in shipguard.yaml (review.defaultBranch) or check it out.'
        : 'Repair the repository (git fsck) or run on a complete clone.',
    );
  }
  // Too little history is never a pass: what was not read may be exactly the unreviewed change.
  const gap = historyGap(facts.analysis.history);
  if (gap !== undefined) {
    return unknown(
      checkId,
      `${gap}, so the changes of the audit period cannot all be judged`,
      'Assess a full clone (git fetch --unshallow, or fetch-depth: 0 in CI checkout) whose history reaches back over the audit period.',
    );
  }
  return undefined;
}

function branchEvidence(analysis: ReviewAnalysis, note: string, level?: EvidenceLevel): Evidence {
  const evidence: Evidence = {
    kind: 'commit',
    commit: analysis.history.branch.head,
    note: `${analysis.history.branch.name}: ${note}`,
  };
  if (level !== undefined) evidence.level = level;
  return evidence;
}

/** The level of a reviewed change's evidence (source-control's rule, with this analysis' signature checks). */
export function reviewLevel(item: ClassifiedChange, analysis: ReviewAnalysis): EvidenceLevel {
  return reviewEvidenceLevel(item, analysis.verifications.get(item.change.commit));
}

/** The share of changes whose review is verified, and those whose review is only declared. */
function reviewLevels(analysis: ReviewAnalysis): { verified: number; declared: number } {
  let verified = 0;
  let declared = 0;
  for (const item of analysis.changes) {
    if (item.verdict !== 'reviewed') continue;
    if (reviewLevel(item, analysis) === 'verified') verified += 1;
    else declared += 1;
  }
  return { verified, declared };
}

const strengthenReview =
  'Review evidence typed by the author (Reviewed-by trailers, a request number in a subject) is only declared: configure review.forge with a read-only token so shipguard reads the approvals itself, or have reviewers merge with signed commits verified through review.allowedSignersFile.';

function withHint(result: CheckResult, level: EvidenceLevel): CheckResult {
  return level === 'verified' ? result : { ...result, howToProvide: strengthenReview };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

export const reviewCoverage: Check<ReviewFacts> = {
  id: 'review/coverage',
  title: 'Changes reaching the default branch were reviewed',
  severity: 'high',
  remediation:
    'Protect the default branch so that changes merge only through reviewed pull/merge requests, and record approvals (forge reviews or Reviewed-by trailers).',
  evaluate(facts, policy) {
    const early = unreadableHistory(this.id, facts);
    if (early || facts.state !== 'read') return early as CheckResult;
    const { figures } = facts.analysis;
    if (figures.changes === 0) return notApplicable(this.id, 'no changes in the audit period');
    const threshold = policy.review.coverageThreshold;
    const coverage = figures.coverage ?? 0;
    const levels = reviewLevels(facts.analysis);
    const summary = `${figures.reviewed} of ${figures.changes} changes reviewed (${percent(coverage)}; ${levels.verified} on verified evidence, ${levels.declared} on declared trailers only); ${figures.unverified} merged through a request without evidence offline, ${figures.unreviewed} unreviewed`;
    // A threshold of 0 asks for nothing: a pass still needs one reviewed change to rest on.
    if (coverage >= threshold && figures.reviewed > 0) {
      const verifiedMeets = levels.verified > 0 && levels.verified / figures.changes >= threshold;
      const level = verifiedMeets ? 'verified' : 'declared';
      return withHint(passed(this.id, summary, [branchEvidence(facts.analysis, summary, level)]), level);
    }
    const evidence = [branchEvidence(facts.analysis, summary)];
    const possible = (figures.reviewed + figures.unverified) / figures.changes;
    if (figures.reviewed + figures.unverified > 0 && possible >= threshold) {
      return unknown(
        this.id,
        summary,
        facts.forgeNote ??
          'Configure review.forge in shipguard.yaml with a read-only token so approvals can be read, or record Reviewed-by trailers.',
      );
    }
    const findings = facts.analysis.changes
      .filter((item) => item.verdict === 'unreviewed')
      .slice(0, maxFindings)
      .map((item) =>
        findingOf(this, `${item.change.commit.slice(0, 12)} "${item.change.subject}": ${item.reason}`, {
          key: item.change.commit,
        }),
      );
    const shortfall =
      figures.reviewed === 0 ? 'no change was reviewed' : `below the ${percent(threshold)} required`;
    return failed(this.id, `${summary}; ${shortfall}`, evidence, findings);
  },
};

export const reviewNoDirectPushes: Check<ReviewFacts> = {
  id: 'review/no-direct-pushes',
  title: 'Nobody pushes to the default branch directly',
  severity: 'high',
  remediation:
    'Protect the default branch (no direct pushes, administrators included) and bring changes in through pull/merge requests.',
  evaluate(facts) {
    const early = unreadableHistory(this.id, facts);
    if (early || facts.state !== 'read') return early as CheckResult;
    const { figures } = facts.analysis;
    if (figures.changes === 0) return notApplicable(this.id, 'no changes in the audit period');
    if (figures.directPushes.length === 0) {
      // A request number in a subject or a merge message is typed by whoever made the commit.
      const declared = facts.analysis.changes.filter(
        (item) => reviewLevel(item, facts.analysis) === 'declared',
      ).length;
      const level = declared === 0 ? 'verified' : 'declared';
      return withHint(
        passed(this.id, `none of ${figures.changes} changes was pushed directly without review`, [
          branchEvidence(
            facts.analysis,
            `${figures.changes} changes, ${figures.throughRequest} through requests; ${declared} known only from the commit message`,
            level,
          ),
        ]),
        level,
      );
    }
    const evidence: Evidence[] = figures.directPushes.slice(0, maxFindings).map((push) => ({
      kind: 'commit',
      commit: push.commit,
      note: `pushed directly by ${describePerson(push.author)} on ${push.date}`,
    }));
    const findings = figures.directPushes.slice(0, maxFindings).map((push) =>
      findingOf(
        this,
        `${push.commit.slice(0, 12)} "${push.subject}" by ${describePerson(push.author)} (${push.date.slice(0, 10)}) was pushed directly without review`,
        {
          key: push.commit,
        },
      ),
    );
    return failed(
      this.id,
      `${figures.directPushes.length} of ${figures.changes} changes pushed directly without review`,
      evidence,
      findings,
    );
  },
};

export const reviewSeparationOfDuties: Check<ReviewFacts> = {
  id: 'review/separation-of-duties',
  title: 'Authors neither approve nor merge their own unreviewed changes, nor deploy them',
  severity: 'high',
  remediation:
    'Require an approval from someone other than the author (forge setting "require approval from someone other than the last pusher"), do not count self-approvals, and have production deployed by someone who neither wrote nor approved the change.',
  evaluate(facts) {
    const early = unreadableHistory(this.id, facts);
    if (early || facts.state !== 'read') return early as CheckResult;
    const { figures } = facts.analysis;
    const deployments = facts.analysis.deployments;
    const deploymentIssues = deployments?.issues ?? [];
    const deploymentSummary = deployments
      ? `; ${deployments.compared} of ${deployments.production} production deployment(s) compared with the history, ${deploymentIssues.length} deployed by their author or approver`
      : facts.deploymentNote
        ? `; ${facts.deploymentNote}`
        : '';
    if (figures.changes === 0 && deploymentIssues.length === 0)
      return notApplicable(this.id, `no changes in the audit period${deploymentSummary}`);
    const total = figures.separationIssues.length + deploymentIssues.length;
    if (total > 0) {
      const findings = [
        ...figures.separationIssues.map((issue) =>
          findingOf(
            this,
            issue.kind === 'self-approval'
              ? `${issue.commit.slice(0, 12)} was approved by its own author (${describePerson(issue.other)})`
              : `${issue.commit.slice(0, 12)} was merged by its author (${describePerson(issue.other)}) without another approval`,
            { key: `${issue.kind}:${issue.commit}` },
          ),
        ),
        ...deploymentIssues.map((issue) =>
          findingOf(
            this,
            `deployment ${issue.deployment} to ${issue.environment} (${issue.decidedAt}) of ${issue.commit.slice(0, 12)} was made by ${issue.deployer}, who ${issue.kind === 'deployer-is-author' ? 'wrote' : 'approved'} the change ${issue.change.slice(0, 12)} (${issue.other})`,
            { key: `${issue.kind}:${issue.deployment}` },
          ),
        ),
      ].slice(0, maxFindings);
      return failed(
        this.id,
        `${total} separation-of-duties issue(s) in ${figures.changes} changes${deploymentSummary}`,
        [
          ...figures.separationIssues.map((issue) => ({
            kind: 'commit' as const,
            commit: issue.commit,
            note: issue.kind,
          })),
          ...deploymentIssues.map((issue) => ({
            kind: 'commit' as const,
            commit: issue.commit,
            note: `${issue.kind}: deployment ${issue.deployment} by ${issue.deployer}`,
          })),
        ].slice(0, maxFindings),
        findings,
      );
    }
    if (figures.reviewed === 0) {
      return unknown(
        this.id,
        `no approvals are known, so who approved what cannot be compared${deploymentSummary}`,
        'Configure review.forge with a read-only token, or record Reviewed-by trailers.',
      );
    }
    const levels = reviewLevels(facts.analysis);
    const level = levels.declared === 0 ? 'verified' : 'declared';
    return withHint(
      passed(
        this.id,
        `${figures.reviewed} reviewed changes, each approved by someone other than its author (${levels.declared} only by a typed trailer)${deploymentSummary}`,
        [branchEvidence(facts.analysis, 'no self-approval or self-merge without review', level)],
      ),
      level,
    );
  },
};

export const reviewSensitivePathsOwned: Check<ReviewFacts> = {
  id: 'review/sensitive-paths-owned',
  title: 'Changes to sensitive paths were approved by a code owner',
  severity: 'high',
  remediation:
    'Assign owners to CI configuration, CODEOWNERS, auth and infrastructure paths in CODEOWNERS, and require code-owner review on the default branch.',
  evaluate(facts) {
    const early = unreadableHistory(this.id, facts);
    if (early || facts.state !== 'read') return early as CheckResult;
    const sensitive = facts.analysis.sensitive;
    if (sensitive.length === 0)
      return notApplicable(this.id, 'no change in the audit period touched a sensitive path');
    const bad = sensitive.filter((item) => item.verdict === 'no-owner' || item.verdict === 'no-owner-review');
    const undecided = sensitive.filter((item) => item.verdict === 'unknown');
    const summary = `${sensitive.length} changes to sensitive paths: ${sensitive.length - bad.length - undecided.length} approved by a code owner, ${bad.length} not, ${undecided.length} unknown`;
    if (bad.length > 0) {
      const findings = bad.slice(0, maxFindings).map((item) => {
        const first = item.paths[0];
        return findingOf(this, `${item.commit.slice(0, 12)} "${item.subject}": ${item.reason}`, {
          key: item.commit,
          ...(first ? { location: { path: first.path } } : {}),
        });
      });
      return failed(
        this.id,
        summary,
        bad.slice(0, maxFindings).map((item) => ({ kind: 'commit', commit: item.commit, note: item.reason })),
        findings,
      );
    }
    if (undecided.length > 0) {
      return unknown(
        this.id,
        summary,
        'Configure review.forge with a read-only token so approvals and reviewer logins are known, and name owners as @users or e-mail addresses where teams cannot be resolved.',
      );
    }
    const byCommit = new Map(facts.analysis.changes.map((item) => [item.change.commit, item]));
    const evidence: Evidence[] = sensitive.slice(0, maxFindings).map((item) => {
      const change = byCommit.get(item.commit);
      const level = change ? reviewLevel(change, facts.analysis) : 'declared';
      return { kind: 'commit', commit: item.commit, note: item.reason, level };
    });
    const level = sensitive.every((item) => {
      const change = byCommit.get(item.commit);
      return change !== undefined && reviewLevel(change, facts.analysis) === 'verified';
    })
      ? 'verified'
      : 'declared';
    // The check's level is that of its weakest change: every change needed its owner's approval.
    if (level === 'declared') for (const item of evidence) item.level = 'declared';
    return withHint(passed(this.id, summary, evidence), level);
  },
};

/** A change a release or a deployment brought, for judging (the same change may be both). */
interface ShippedChange {
  commit: string;
  subject: string;
  verdict: ClassifiedChange['verdict'];
  reason: string;
  /** `release v1.2.0` or `deployment 42 to production`. */
  by: string;
}

function shippedChanges(analysis: ReviewAnalysis): ShippedChange[] {
  const shipped: ShippedChange[] = [];
  for (const release of analysis.releases.releases) {
    const by = `release ${release.tags.join(', ')}`;
    for (const change of release.changes) shipped.push({ ...change, by });
  }
  for (const deployed of analysis.deployments?.changes ?? []) {
    // A change found before the history read was classified without the forge: not judged here.
    if (!deployed.inHistory) continue;
    shipped.push({
      commit: deployed.change,
      subject: deployed.subject,
      verdict: deployed.verdict,
      reason: deployed.reason,
      by: `deployment ${deployed.deployment} to ${deployed.environment}`,
    });
  }
  return shipped;
}

export const reviewReleasesReviewed: Check<ReviewFacts> = {
  id: 'review/releases-reviewed',
  title: 'Every change a release or production deployment brought to the default branch was reviewed',
  severity: 'high',
  remediation:
    'Release and deploy only what was reviewed: have the unreviewed changes named reviewed after the fact (or revert them), protect the default branch, and release again.',
  evaluate(facts) {
    const early = unreadableHistory(this.id, facts);
    if (early || facts.state !== 'read') return early as CheckResult;
    const analysis = facts.analysis;
    const { releases, outside } = analysis.releases;
    const shipped = shippedChanges(analysis);
    const deployedOutside = (analysis.deployments?.changes ?? []).filter((item) => !item.inHistory).length;
    const context = [
      `${releases.length} release(s) and ${shipped.length - releases.reduce((sum, release) => sum + release.changes.length, 0)} deployed change(s) in the history read`,
      ...(outside > 0 ? [`${outside} older release tag(s) before it`] : []),
      ...(deployedOutside > 0 ? [`${deployedOutside} deployed change(s) before it, not judged`] : []),
      ...(releases.some((release) => release.openStart)
        ? ['the oldest release may hold changes from before the history read']
        : []),
    ].join('; ');
    if (shipped.length === 0) {
      return notApplicable(
        this.id,
        `nothing was released or deployed to production in the history read (${context})`,
      );
    }
    const unreviewed = shipped.filter((item) => item.verdict === 'unreviewed');
    if (unreviewed.length > 0) {
      const findings = unreviewed
        .slice(0, maxFindings)
        .map((item) =>
          findingOf(
            this,
            `${item.by} shipped ${item.commit.slice(0, 12)} "${item.subject}", which was not reviewed: ${item.reason}`,
            { key: `${item.by}:${item.commit}` },
          ),
        );
      const evidence: Evidence[] = unreviewed
        .slice(0, maxFindings)
        .map((item) => ({ kind: 'commit', commit: item.commit, note: `${item.by}: ${item.reason}` }));
      return failed(
        this.id,
        `${unreviewed.length} unreviewed change(s) were released or deployed (${context})`,
        evidence,
        findings,
      );
    }
    const unverified = shipped.filter((item) => item.verdict === 'unverified');
    if (unverified.length > 0) {
      return unknown(
        this.id,
        `${unverified.length} released or deployed change(s) came through a request whose review is not known offline (${context})`,
        facts.forgeNote ??
          'Configure review.forge in shipguard.yaml with a read-only token so approvals can be read, or record Reviewed-by trailers.',
      );
    }
    const byCommit = new Map(analysis.changes.map((item) => [item.change.commit, item]));
    const declared = shipped.filter((item) => {
      const change = byCommit.get(item.commit);
      return change === undefined || reviewLevel(change, analysis) !== 'verified';
    }).length;
    const level: EvidenceLevel = declared === 0 ? 'verified' : 'declared';
    const evidence: Evidence[] = releases.slice(0, 20).map((release) => ({
      kind: 'commit',
      commit: release.change,
      note: `release ${release.tags.join(', ')}: ${release.changes.length} change(s), each reviewed`,
      level,
    }));
    return withHint(
      passed(
        this.id,
        `every change shipped was reviewed, ${declared} of ${shipped.length} on declared evidence only (${context})`,
        evidence.length > 0 ? evidence : [branchEvidence(analysis, 'every deployed change reviewed', level)],
      ),
      level,
    );
  },
};
