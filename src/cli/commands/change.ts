import { randomBytes } from 'node:crypto';
import { type Command, Option } from 'commander';
import {
  approvalState,
  approveChange,
  type ChangeClass,
  ChangeError,
  type ChangeRecord,
  type ChangeSigner,
  changeClasses,
  createChange,
  findVerifiedApproval,
  implementChange,
  isReviewOverdue,
  listChanges,
  principalOfSigner,
  recordSignedTransition,
  rejectChange,
  requireChange,
  reviewChange,
} from '../../changes/index.js';
import {
  IdentityError,
  loadPrincipalRegistry,
  loadSigningKey,
  type Principal,
  type PrincipalRegistry,
} from '../../identity/index.js';
import { describeError, digestInputFile, runGit, runGitText } from '../../kernel/index.js';
import { parseVerifierKey } from '../../ledger/index.js';
import {
  type ChangeSettings,
  defaultPolicy,
  type LoadedPolicy,
  parsePolicy,
  policyFileNames,
} from '../../policy/index.js';
import type { Store } from '../../store/index.js';
import { resolveRepositoryRoot } from '../../store/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { readIdToken } from '../id-token.js';
import { printStdout, writeDiagnostic } from '../output.js';
import { openCommandStore } from '../store-access.js';

const formats = ['table', 'json'] as const;
type Format = (typeof formats)[number];

interface CommonOptions {
  repository: string;
  db?: string;
  protectedRef?: string;
  format: Format;
}

interface ProofOptions {
  key?: string;
  oidcToken?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** What the protected default branch says: the policy, and the ref it was read from. */
interface ProtectedContext {
  policy: LoadedPolicy;
  ref: string;
  registry: PrincipalRegistry;
}

const protectedRefPattern = /^refs\/(heads|remotes)\/(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,240}$/;

/**
 * The policy and principal registry of the protected default branch (`refs/remotes/origin/HEAD`,
 * or `--protected-ref`): never the working tree, which the person asking may have edited.
 */
async function readProtectedContext(root: string, configuredRef?: string): Promise<ProtectedContext> {
  const ref =
    configuredRef ??
    (await runGitText(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], {
      successExitCodes: [0, 1],
    }).catch(() => ''));
  if (!protectedRefPattern.test(ref)) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      'no protected default branch to read the policy and the registered principals from: fetch it (`git fetch origin`, `git remote set-head origin --auto`) or name it with --protected-ref refs/remotes/origin/<branch>',
    );
  }
  let policy: LoadedPolicy = { policy: defaultPolicy(), lineOf: () => undefined };
  for (const name of policyFileNames) {
    const text = await runGit(root, ['cat-file', 'blob', `${ref}:${name}`], {
      maxOutputBytes: 1024 * 1024,
      successExitCodes: [0, 128],
    }).catch(() => undefined);
    if (text !== undefined && text.length > 0) {
      policy = parsePolicy(text.toString('utf8'), `${ref}:${name}`);
      break;
    }
  }
  const registry = await loadPrincipalRegistry(root, policy.policy.principals, ref);
  return { policy, ref, registry };
}

/** The signer from --key or --oidc-token (exactly one): a name typed on the command line proves nothing. */
async function signerFrom(options: ProofOptions, registry: PrincipalRegistry): Promise<ChangeSigner> {
  if ((options.key === undefined) === (options.oidcToken === undefined)) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      'prove who you are with exactly one of --key FILE (a registered signing key) or --oidc-token FILE|- (a CI ID token)',
    );
  }
  if (options.key !== undefined) {
    return { kind: 'key', privateKey: await loadSigningKey(options.key), registry };
  }
  return { kind: 'oidc', token: await readIdToken(options.oidcToken ?? '-'), registry };
}

async function withStore<T>(
  options: CommonOptions,
  work: (store: Store, settings: ChangeSettings, root: string, context: ProtectedContext) => Promise<T>,
): Promise<T> {
  const root = await resolveRepositoryRoot(options.repository);
  const context = await readProtectedContext(root, options.protectedRef);
  const store = await openCommandStore(root, options.db);
  try {
    return await work(store, context.policy.policy.gate.changes, root, context);
  } catch (error) {
    // A refused step (separation of duties, a wrong transition, a key nobody registered) is an
    // answer, not a crash: exit 1.
    if (!(error instanceof ChangeError) && !(error instanceof IdentityError)) throw error;
    writeDiagnostic(`shipguard: ${describeError(error)}\n`);
    return exitCodes.findings as T;
  } finally {
    await store.close();
  }
}

/** The commits' full ids and their authors; for a merge, the authors of every commit it merged. */
async function readCommitAuthors(
  root: string,
  commits: readonly string[],
): Promise<{ ids: string[]; authors: string[] }> {
  const ids: string[] = [];
  const authors = new Set<string>();
  for (const commit of commits) {
    if (!/^[0-9a-fA-F]{4,64}$/.test(commit)) {
      throw new UsageError(
        'USAGE_INVALID_OPTION',
        `--commit takes a commit id, not "${commit.slice(0, 60)}"`,
      );
    }
    const id = await runGitText(root, [
      'rev-parse',
      '--verify',
      '--end-of-options',
      `${commit}^{commit}`,
    ]).catch(() => {
      throw new UsageError('USAGE_INVALID_OPTION', `no commit ${commit} in this repository`);
    });
    ids.push(id);
    const own = await runGitText(root, ['log', '-1', '--format=%an <%ae>', id]);
    authors.add(own);
    const parents = (await runGitText(root, ['rev-parse', `${id}^@`])).split('\n').filter(Boolean);
    if (parents.length > 1) {
      const merged = await runGitText(root, [
        'log',
        '--format=%an <%ae>',
        '--max-count=10000',
        `${parents[0]}..${id}`,
      ]);
      for (const line of merged.split('\n')) if (line !== '') authors.add(line);
    }
  }
  return { ids, authors: [...authors] };
}

function render(change: ChangeRecord, settings: ChangeSettings, format: Format): string {
  const state = approvalState(change, settings);
  if (format === 'json') return `${JSON.stringify({ ...change, approval: state }, null, 2)}\n`;
  const lines = [
    `${change.id}  ${change.class}  ${change.status}  ${change.title}`,
    `author     ${change.author}`,
    `created    ${change.createdAt}`,
  ];
  if (change.environments?.length) lines.push(`env        ${change.environments.join(', ')}`);
  if (change.artifacts?.length) lines.push(`artefacts  ${change.artifacts.join(', ')}`);
  if (change.expiresAt) lines.push(`expires    ${change.expiresAt}`);
  if (change.consumption)
    lines.push(`used by    gate decision ${change.consumption.decision} at ${change.consumption.at}`);
  if (change.template) lines.push(`template   ${change.template}`);
  if (change.commits.length > 0) lines.push(`commits    ${change.commits.join(', ')}`);
  if (change.commitAuthors.length > 0) lines.push(`written by ${change.commitAuthors.join(', ')}`);
  for (const approval of change.approvals) {
    lines.push(
      `approved   by ${approval.by}${approval.principal ? ` [${approval.principal.id.slice(0, 24)}…]` : ' (unproved name)'} at ${approval.at}${approval.roles.length ? ` (${approval.roles.join(', ')})` : ''}`,
    );
  }
  if (change.rejection) lines.push(`rejected   by ${change.rejection.by}: ${change.rejection.reason}`);
  if (change.implementation)
    lines.push(`implemented by ${change.implementation.by} at ${change.implementation.at}`);
  if (change.reviewDueAt)
    lines.push(`review due ${change.reviewDueAt}${isReviewOverdue(change, new Date()) ? ' (OVERDUE)' : ''}`);
  if (change.review)
    lines.push(`reviewed   by ${change.review.by} at ${change.review.at}: ${change.review.notes}`);
  lines.push(`approval   ${state.approved ? 'sufficient' : 'insufficient'}: ${state.reason}`);
  lines.push('(as the store row says; `shipguard change verify` checks it against the ledger)');
  return `${lines.join('\n')}\n`;
}

function withCommon(command: Command): Command {
  return command
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option(
      '--protected-ref <ref>',
      'the protected branch whose policy and registered principals apply (default: refs/remotes/origin/HEAD)',
    )
    .option('-C, --repository <path>', 'the repository the changes belong to', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'));
}

export function registerChangeCommand(program: Command): void {
  const change = program
    .command('change')
    .description(
      'change records: create, approve, reject, implement and review changes (every step is ledgered)',
    );

  withProof(
    withCommon(
      change
        .command('create')
        .description('record a change request, signed by its author')
        .addOption(new Option('--class <class>', 'change class').choices(changeClasses).makeOptionMandatory())
        .requiredOption('--title <text>', 'what the change does')
        .option('--id <id>', 'change id (default: generated)')
        .option('--commit <id>', 'a commit the change approves (repeatable)', collect, [])
        .option(
          '--artifact <file|sha256:hex>',
          'an artefact the change approves, by file or digest (repeatable)',
          collect,
          [],
        )
        .option('--env <name>', 'an environment the change approves deployments to (repeatable)', collect, [])
        .option('--template <id>', 'standard changes: the pre-approved template')
        .option('--risk <text>', 'major changes: the risk assessment (or where it is)')
        .option('--data-protection <text>', 'major changes: the data-protection assessment (or where it is)'),
    ),
  ).action(
    action(
      async (
        options: CommonOptions &
          ProofOptions & {
            class: ChangeClass;
            title: string;
            id?: string;
            commit: string[];
            artifact: string[];
            env: string[];
            template?: string;
            risk?: string;
            dataProtection?: string;
          },
      ) =>
        withStore(options, async (store, settings, root, context) => {
          const commits = await readCommitAuthors(root, options.commit);
          const artifacts = await Promise.all(options.artifact.map(artifactDigest));
          const signer = await signerFrom(options, context.registry);
          const now = new Date();
          const author = await principalOfSigner(signer, now);
          const record = createChange(
            {
              id:
                options.id ??
                `CHG-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`,
              class: options.class,
              title: options.title,
              author,
              commits: commits.ids,
              commitAuthors: commits.authors,
              environments: options.env,
              artifacts,
              ...(options.template === undefined ? {} : { template: options.template }),
              ...(options.risk === undefined ? {} : { riskAssessment: options.risk }),
              ...(options.dataProtection === undefined
                ? {}
                : { dataProtectionAssessment: options.dataProtection }),
            },
            settings,
            now,
          );
          await recordSignedTransition(store, record, 'created', signer, now);
          printStdout(render(record, settings, options.format));
          return exitCodes.ok;
        }),
    ),
  );

  withCommon(
    change
      .command('verify')
      .description('check a change against the ledger: may it approve this deployment now?')
      .argument('<id>')
      .requiredOption('--env <name>', 'the environment to deploy to')
      .option('--commit <id>', 'the commit to deploy')
      .option('--artifact <file|sha256:hex>', 'the artefact to deploy'),
  ).action(
    action(async (id: string, options: CommonOptions & { env: string; commit?: string; artifact?: string }) =>
      withStore(options, async (store, settings, root, context) => {
        const commit =
          options.commit === undefined ? undefined : (await readCommitAuthors(root, [options.commit])).ids[0];
        const result = await findVerifiedApproval(store, {
          changeId: id,
          registry: context.registry,
          checkpointVerifiers: context.policy.policy.ledger.checkpointKeys.map(parseVerifierKey),
          settings,
          environment: options.env,
          ...(commit === undefined ? {} : { commit }),
          ...(options.artifact === undefined ? {} : { artifact: await artifactDigest(options.artifact) }),
          at: new Date(),
        });
        if (options.format === 'json') {
          printStdout(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          printStdout(`${result.approved ? 'APPROVED' : 'NOT APPROVED'}: ${result.reason}\n`);
          for (const problem of result.tampering) printStdout(`tampering: ${problem}\n`);
        }
        return result.approved ? exitCodes.ok : exitCodes.findings;
      }),
    ),
  );

  withCommon(change.command('show').description('show one change').argument('<id>')).action(
    action(async (id: string, options: CommonOptions) =>
      withStore(options, async (store, settings) => {
        printStdout(render(await requireChange(store, id), settings, options.format));
        return exitCodes.ok;
      }),
    ),
  );

  withCommon(
    change
      .command('list')
      .description('list changes, newest first')
      .option('--status <status>', 'only changes in this status')
      .option('-n, --limit <n>', 'at most this many', '50'),
  ).action(
    action(async (options: CommonOptions & { status?: string; limit: string }) =>
      withStore(options, async (store, settings) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
          throw new UsageError('USAGE_INVALID_OPTION', '--limit must be a whole number from 1 to 10000');
        }
        const changes = await listChanges(store, {
          ...(options.status ? { status: options.status } : {}),
          limit,
        });
        if (options.format === 'json') {
          printStdout(`${JSON.stringify(changes, null, 2)}\n`);
        } else if (changes.length === 0) {
          printStdout('No changes recorded.\n');
        } else {
          const now = new Date();
          for (const item of changes) {
            const state = approvalState(item, settings);
            const overdue = isReviewOverdue(item, now) ? '  REVIEW OVERDUE' : '';
            printStdout(
              `${item.id}  ${item.class.padEnd(9)}  ${item.status.padEnd(11)}  ${state.approved ? 'approved' : 'pending '}  ${item.title}${overdue}\n`,
            );
          }
        }
        return exitCodes.ok;
      }),
    ),
  );

  const transition = (
    name: 'approve' | 'reject' | 'implement' | 'review',
    description: string,
    extra: (command: Command) => Command,
    apply: (
      record: ChangeRecord,
      by: Principal,
      settings: ChangeSettings,
      options: { reason?: string; notes?: string },
    ) => ChangeRecord,
  ) => {
    withProof(withCommon(extra(change.command(name).description(description).argument('<id>')))).action(
      action(
        async (id: string, options: CommonOptions & ProofOptions & { reason?: string; notes?: string }) =>
          withStore(options, async (store, settings, _root, context) => {
            const signer = await signerFrom(options, context.registry);
            const now = new Date();
            const by = await principalOfSigner(signer, now);
            const next = apply(await requireChange(store, id), by, settings, options);
            const past = {
              approve: 'approved',
              reject: 'rejected',
              implement: 'implemented',
              review: 'reviewed',
            } as const;
            const details =
              name === 'reject'
                ? { reason: next.rejection?.reason ?? '' }
                : name === 'review'
                  ? { notes: next.review?.notes ?? '' }
                  : {};
            await recordSignedTransition(store, next, past[name], signer, now, details);
            printStdout(render(next, settings, options.format));
            return exitCodes.ok;
          }),
      ),
    );
  };
  transition(
    'approve',
    'approve a change (a registered principal other than its author and the authors of its commits)',
    (c) => c,
    (record, by, settings) => approveChange(record, by, settings, new Date()),
  );
  transition(
    'reject',
    'reject a change',
    (c) => c.requiredOption('--reason <text>', 'why'),
    (record, by, _settings, options) => rejectChange(record, by, options.reason ?? '', new Date()),
  );
  transition(
    'implement',
    'record that an approved change was deployed (its approval is then used up)',
    (c) => c,
    (record, by, settings) => implementChange(record, by, settings, new Date()),
  );
  transition(
    'review',
    'record the post-implementation review (due for emergency changes)',
    (c) => c.requiredOption('--notes <text>', 'what the review found'),
    (record, by, _settings, options) => reviewChange(record, by, options.notes ?? '', new Date()),
  );
}

function withProof(command: Command): Command {
  return command
    .option('--key <file>', 'your signing key (PEM or OpenSSH), registered on the protected branch')
    .option(
      '--oidc-token <file|->',
      "a CI workload's OIDC ID token (GitHub Actions, GitLab CI), or - for stdin",
    );
}

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<hex>` as given, or the SHA-256 of the named file. */
async function artifactDigest(value: string): Promise<string> {
  if (digestPattern.test(value.toLowerCase())) return value.toLowerCase();
  try {
    // Streamed from a regular file: any size, constant memory; a FIFO or device is refused.
    return `sha256:${(await digestInputFile(value, 'artefact')).sha256}`;
  } catch (error) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `--artifact ${value.slice(0, 100)} is neither a readable file nor sha256:<64 hex>`,
      {
        cause: error,
      },
    );
  }
}
