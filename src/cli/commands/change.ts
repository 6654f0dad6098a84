import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import {
  approvalState,
  approveChange,
  type ChangeClass,
  ChangeError,
  type ChangeRecord,
  changeClasses,
  createChange,
  implementChange,
  isReviewOverdue,
  listChanges,
  recordChange,
  rejectChange,
  requireChange,
  reviewChange,
} from '../../changes/index.js';
import { resolveDeployer } from '../../gate/index.js';
import { describeError, runGitText } from '../../kernel/index.js';
import type { ChangeSettings } from '../../policy/index.js';
import { loadPolicy } from '../../policy/index.js';
import type { Store } from '../../store/index.js';
import { resolveRepositoryRoot } from '../../store/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { openCommandStore } from '../store-access.js';

const formats = ['table', 'json'] as const;
type Format = (typeof formats)[number];

interface CommonOptions {
  repository: string;
  db?: string;
  policy?: string;
  format: Format;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function person(given: string | undefined): string {
  return resolveDeployer(given, process.env, () => userInfo().username);
}

async function withStore<T>(
  options: CommonOptions,
  work: (store: Store, settings: ChangeSettings, root: string) => Promise<T>,
): Promise<T> {
  const root = await resolveRepositoryRoot(options.repository);
  const policy = await loadPolicy(root, options.policy);
  const store = await openCommandStore(root, options.db);
  try {
    return await work(store, policy.policy.gate.changes, root);
  } catch (error) {
    // A refused step (separation of duties, a wrong transition) is an answer, not a crash: exit 1.
    if (!(error instanceof ChangeError)) throw error;
    process.stderr.write(`shipguard: ${describeError(error)}\n`);
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
  if (change.environment) lines.push(`env        ${change.environment}`);
  if (change.template) lines.push(`template   ${change.template}`);
  if (change.commits.length > 0) lines.push(`commits    ${change.commits.join(', ')}`);
  if (change.commitAuthors.length > 0) lines.push(`written by ${change.commitAuthors.join(', ')}`);
  for (const approval of change.approvals) {
    lines.push(
      `approved   by ${approval.by} at ${approval.at}${approval.roles.length ? ` (${approval.roles.join(', ')})` : ''}`,
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
  return `${lines.join('\n')}\n`;
}

function withCommon(command: Command): Command {
  return command
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option('--policy <file>', 'policy file (default: shipguard.yaml at the repository root)')
    .option('-C, --repository <path>', 'the repository the changes belong to', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'));
}

export function registerChangeCommand(program: Command): void {
  const change = program
    .command('change')
    .description(
      'change records: create, approve, reject, implement and review changes (every step is ledgered)',
    );

  withCommon(
    change
      .command('create')
      .description('record a change request')
      .addOption(new Option('--class <class>', 'change class').choices(changeClasses).makeOptionMandatory())
      .requiredOption('--title <text>', 'what the change does')
      .option('--id <id>', 'change id (default: generated)')
      .option(
        '--author <name>',
        'who requests it (default: $GITHUB_ACTOR, $GITLAB_USER_LOGIN, else the OS user)',
      )
      .option('--commit <id>', 'a commit the change deploys (repeatable)', collect, [])
      .option('--env <name>', 'the environment the change is for')
      .option('--template <id>', 'standard changes: the pre-approved template')
      .option('--risk <text>', 'major changes: the risk assessment (or where it is)')
      .option('--data-protection <text>', 'major changes: the data-protection assessment (or where it is)'),
  ).action(
    action(
      async (
        options: CommonOptions & {
          class: ChangeClass;
          title: string;
          id?: string;
          author?: string;
          commit: string[];
          env?: string;
          template?: string;
          risk?: string;
          dataProtection?: string;
        },
      ) =>
        withStore(options, async (store, settings, root) => {
          const commits = await readCommitAuthors(root, options.commit);
          const now = new Date();
          const record = createChange(
            {
              id:
                options.id ??
                `CHG-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`,
              class: options.class,
              title: options.title,
              author: person(options.author),
              commits: commits.ids,
              commitAuthors: commits.authors,
              ...(options.env === undefined ? {} : { environment: options.env }),
              ...(options.template === undefined ? {} : { template: options.template }),
              ...(options.risk === undefined ? {} : { riskAssessment: options.risk }),
              ...(options.dataProtection === undefined
                ? {}
                : { dataProtectionAssessment: options.dataProtection }),
            },
            settings,
            now,
          );
          await recordChange(store, record, 'created', record.author, now);
          process.stdout.write(render(record, settings, options.format));
          return exitCodes.ok;
        }),
    ),
  );

  withCommon(change.command('show').description('show one change').argument('<id>')).action(
    action(async (id: string, options: CommonOptions) =>
      withStore(options, async (store, settings) => {
        process.stdout.write(render(await requireChange(store, id), settings, options.format));
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
          process.stdout.write(`${JSON.stringify(changes, null, 2)}\n`);
        } else if (changes.length === 0) {
          process.stdout.write('No changes recorded.\n');
        } else {
          const now = new Date();
          for (const item of changes) {
            const state = approvalState(item, settings);
            const overdue = isReviewOverdue(item, now) ? '  REVIEW OVERDUE' : '';
            process.stdout.write(
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
      by: string,
      settings: ChangeSettings,
      options: { reason?: string; notes?: string },
    ) => ChangeRecord,
  ) => {
    withCommon(
      extra(change.command(name).description(description).argument('<id>')).option(
        '--by <name>',
        'who does it (default: $GITHUB_ACTOR, $GITLAB_USER_LOGIN, else the OS user)',
      ),
    ).action(
      action(async (id: string, options: CommonOptions & { by?: string; reason?: string; notes?: string }) =>
        withStore(options, async (store, settings) => {
          const by = person(options.by);
          const next = apply(await requireChange(store, id), by, settings, options);
          const past = {
            approve: 'approved',
            reject: 'rejected',
            implement: 'implemented',
            review: 'reviewed',
          } as const;
          await recordChange(store, next, past[name], by);
          process.stdout.write(render(next, settings, options.format));
          return exitCodes.ok;
        }),
      ),
    );
  };
  transition(
    'approve',
    'approve a change (not its author, nor an author of its commits)',
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
    'record that an approved change was deployed',
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
