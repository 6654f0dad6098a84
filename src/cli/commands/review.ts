import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadPolicy } from '../../policy/index.js';
import type { HistoryWindow } from '../../source-control/index.js';
import {
  allowedSignersPath,
  analyseReview,
  deploymentsFromStore,
  describePerson,
  forgeFromPolicy,
  isoDate,
  type ReviewAnalysis,
  type ReviewStore,
  StoreForgeCache,
} from '../../source-control/index.js';
import { defaultStorePath } from '../../store/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { createProgress, writeDiagnostic, writeOutput } from '../output.js';
import { openCommandStore } from '../store-access.js';

interface RawReviewOptions {
  since?: string;
  last?: string;
  format?: string;
  out?: string;
  policy?: string;
  db?: string;
}

const formats = ['table', 'json'] as const;

export function registerReviewCommand(program: Command): void {
  program
    .command('review')
    .description(
      'classify every change on the default branch: reviewed, merged without evidence, or pushed directly',
    )
    .argument('[path]', 'the repository', '.')
    .option('--since <date>', 'only changes since this date (YYYY-MM-DD)')
    .option('--last <n>', 'only the newest N changes (default: policy review.last, else 1000)')
    .option('-f, --format <format>', `output format: ${formats.join(', ')}`, 'table')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--policy <file>', 'policy file (default: shipguard.yaml at the repository root)')
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db); holds the forge response cache and the gate decisions compared with the history',
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 every change reviewed or merged through a request, 1 unreviewed changes or failed signatures,
2 usage error, 3 the history could not be read.

Examples:
  shipguard review                       the last 1000 changes of the default branch
  shipguard review --since 2026-01-01    changes since a date
  shipguard review --last 50000 --format json -o review.json`,
    )
    .action(
      action(async (path: string, raw: RawReviewOptions, command: Command) => {
        const format = raw.format ?? 'table';
        if (!(formats as readonly string[]).includes(format)) {
          throw new UsageError('USAGE_INVALID_OPTION', `--format must be one of ${formats.join(', ')}`);
        }
        const root = await realpath(path).catch(() => {
          throw new UsageError('USAGE_INVALID_OPTION', `no such folder: ${path}`);
        });
        const { policy } = await loadPolicy(root, raw.policy);
        const window = parseWindow(raw, policy.review.last ?? 1000, policy.review.since);
        const progress = createProgress(globalOptions(command).quiet);
        progress('review: reading the history');
        const access = await openReviewStore(root, raw.db, policy.review.forge !== undefined);
        let analysis: ReviewAnalysis;
        let deploymentNote: string | undefined;
        try {
          const forge = forgeFromPolicy(
            policy,
            process.env,
            access.store ? new StoreForgeCache(access.store) : undefined,
          );
          if (forge.note) writeDiagnostic(`shipguard: ${forge.note}\n`);
          const read = await deploymentsFromStore(access);
          deploymentNote = read.note;
          const signers = allowedSignersPath(root, policy);
          analysis = await analyseReview(root, {
            window,
            ...(policy.review.defaultBranch ? { defaultBranch: policy.review.defaultBranch } : {}),
            ...(signers ? { allowedSignersFile: signers } : {}),
            ...(forge.adapter ? { forge: forge.adapter } : {}),
            ...(read.deployments ? { deployments: read.deployments } : {}),
            productionEnvironments: policy.pipelines.productionEnvironments,
          });
        } finally {
          await access.store?.close();
        }
        progress('');
        if (deploymentNote && globalOptions(command).verbose)
          writeDiagnostic(`shipguard: ${deploymentNote}\n`);
        const text =
          format === 'json' ? JSON.stringify(reviewDocument(analysis), null, 2) : renderReviewTable(analysis);
        await writeOutput(text, raw.out === undefined ? {} : { out: raw.out });
        const failing =
          analysis.figures.unreviewed > 0 ||
          analysis.signatures.failures.length > 0 ||
          (analysis.deployments?.issues.length ?? 0) > 0;
        return failing ? exitCodes.findings : exitCodes.ok;
      }),
    );
}

/**
 * The store for the forge cache and the gate decisions: --db or $SHIPGUARD_DB when given (an error
 * there is the user's to see), else the default file when it exists, or when a forge is configured
 * (the cache is worth creating it for). Otherwise none: reviewing never leaves a file behind.
 */
async function openReviewStore(root: string, db: string | undefined, forge: boolean): Promise<ReviewStore> {
  const explicit = db !== undefined || Boolean(process.env['SHIPGUARD_DB']);
  if (!explicit && !forge && !existsSync(defaultStorePath(root))) {
    return { note: `no store at ${defaultStorePath(root)}` };
  }
  return { store: await openCommandStore(root, db) };
}

/** --since and --last override the policy; a bad value is a usage error. */
export function parseWindow(raw: RawReviewOptions, policyLast: number, policySince?: string): HistoryWindow {
  if (raw.last !== undefined && !/^\d{1,7}$/.test(raw.last)) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `--last must be a whole number (got ${JSON.stringify(raw.last.slice(0, 20))})`,
    );
  }
  if (raw.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(raw.since)) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `--since must be a date as YYYY-MM-DD (got ${JSON.stringify(raw.since.slice(0, 20))})`,
    );
  }
  if (raw.since !== undefined)
    return raw.last === undefined ? { since: raw.since } : { since: raw.since, last: Number(raw.last) };
  if (raw.last !== undefined) return { last: Number(raw.last) };
  return policySince === undefined ? { last: policyLast } : { last: policyLast, since: policySince };
}

/** The JSON document: the window, every change with its class, evidence and verdict, the figures. */
export function reviewDocument(analysis: ReviewAnalysis) {
  return {
    branch: analysis.history.branch,
    window: analysis.history.window,
    shallow: analysis.history.shallow,
    partial: analysis.history.partial,
    changes: analysis.changes.map((item) => ({
      commit: item.change.commit,
      date: isoDate(item.change.committerTime),
      subject: item.change.subject,
      class: item.class,
      request: item.change.request ?? null,
      verdict: item.verdict,
      reason: item.reason,
      authors: item.authors,
      approvers: item.approvers,
      selfApprovals: item.selfApprovals,
      merger: item.merger ?? null,
      evidence: item.evidence,
      signature: item.change.signature
        ? { ...item.change.signature, ...(analysis.verifications.get(item.change.commit) ?? {}) }
        : null,
    })),
    figures: analysis.figures,
    sensitive: analysis.sensitive,
    signatures: analysis.signatures,
    forge: analysis.forge ?? null,
    deployments: analysis.deployments ?? null,
  };
}

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}

export function renderReviewTable(analysis: ReviewAnalysis): string {
  const lines: string[] = [];
  const { branch, window } = analysis.history;
  lines.push(
    `Default branch: ${branch.name} (${branch.ref}, from ${branch.source}), window: ${
      window.since ? `since ${window.since}` : ''
    }${window.since && window.last ? ', ' : ''}${window.last ? `last ${window.last}` : ''}`,
  );
  if (analysis.history.shallow) {
    lines.push(
      `Warning: shallow clone${analysis.history.partial ? '; the window is incomplete (partial evidence)' : ''}.`,
    );
  }
  lines.push('');
  lines.push('commit        date        class    verdict     evidence / reason');
  for (const item of analysis.changes) {
    const evidence =
      item.approvers.length > 0
        ? `approved by ${item.approvers.map(describePerson).join(', ')}`
        : item.reason;
    lines.push(
      `${item.change.commit.slice(0, 12)}  ${isoDate(item.change.committerTime).slice(0, 10)}  ${item.class.padEnd(7)}  ${item.verdict.padEnd(10)}  ${evidence} — ${item.change.subject.slice(0, 60)}`,
    );
  }
  const { figures, signatures } = analysis;
  lines.push('');
  lines.push(
    `Changes: ${figures.changes} (${figures.throughRequest} through requests, ${figures.direct} direct)`,
  );
  lines.push(
    `Review coverage: ${percent(figures.coverage)} (${figures.reviewed} reviewed, ${figures.unverified} unknown offline, ${figures.unreviewed} unreviewed)`,
  );
  lines.push(`Unreviewed direct pushes: ${figures.directPushes.length}`);
  for (const push of figures.directPushes.slice(0, 20)) {
    lines.push(
      `  ${push.commit.slice(0, 12)} ${push.date.slice(0, 10)} ${describePerson(push.author)}: ${push.subject.slice(0, 60)}`,
    );
  }
  lines.push(`Separation-of-duties issues: ${figures.separationIssues.length}`);
  for (const issue of figures.separationIssues.slice(0, 20)) {
    lines.push(`  ${issue.commit.slice(0, 12)} ${issue.kind}: ${describePerson(issue.other)}`);
  }
  const notOwned = analysis.sensitive.filter(
    (item) => item.verdict === 'no-owner' || item.verdict === 'no-owner-review',
  );
  lines.push(
    `Sensitive-path changes: ${analysis.sensitive.length} (${notOwned.length} without a code owner's approval)`,
  );
  for (const item of notOwned.slice(0, 20)) lines.push(`  ${item.commit.slice(0, 12)} ${item.reason}`);
  lines.push(
    `Signed changes: ${signatures.signed} of ${signatures.changes} (${signatures.outcomes.good} verified, ${signatures.outcomes.bad} bad, ${signatures.outcomes['untrusted-key']} untrusted key, ${signatures.outcomes.unverifiable} unverifiable); unsigned merges: ${signatures.unsignedMerges.length}`,
  );
  for (const reason of signatures.unverifiableReasons) lines.push(`  unverifiable: ${reason}`);
  if (analysis.deployments) {
    const { production, compared, issues } = analysis.deployments;
    lines.push(
      `Production deployments: ${production} (${compared} compared with the history; ${issues.length} by their author or approver)`,
    );
    for (const issue of issues.slice(0, 20)) {
      lines.push(
        `  ${issue.deployment} ${issue.decidedAt.slice(0, 10)} ${issue.commit.slice(0, 12)} by ${issue.deployer}: ${issue.kind} (${issue.other})`,
      );
    }
  }
  if (analysis.forge) {
    lines.push(
      `Forge: ${analysis.forge.kind}, ${analysis.forge.lookups} lookups, ${analysis.forge.requests} requests, ${analysis.forge.errors} errors`,
    );
  }
  return lines.join('\n');
}
