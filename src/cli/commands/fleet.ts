import { type Command, Option } from 'commander';
import {
  addRepositories,
  affectedRepositories,
  deliverWebhook,
  FleetError,
  type FleetQueue,
  listRepositories,
  markNotified,
  pendingNotifications,
  rematch,
  removeRepositories,
  runEmbedded,
  scheduleTick,
  startQueue,
  triggerRun,
} from '../../fleet/index.js';
import { describeError, readInputFile } from '../../kernel/index.js';
import { defaultPolicy, loadPolicy } from '../../policy/index.js';
import { identifyRepository, type RepositoryIdentity } from '../../source-control/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { fleetJobContext, parseNumber } from '../fleet-access.js';
import { writeDiagnostic, writeOutput } from '../output.js';
import { commandStoreLocation, withCommandStore } from '../store-access.js';

const dbHelp =
  'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)';
const maxImportBytes = 16 * 1024 * 1024;

interface AddOptions {
  db?: string;
  subfolder?: string;
  staggerSeconds: string;
}

export function registerFleetCommand(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('the repositories of an organisation: add, list, remove, assess, schedule')
    .addHelpText(
      'after',
      `
A repository is keyed by its normalised remote URL (host/path, plus //subfolder for a monorepo
package), not by where it was cloned; a folder without a remote is keyed by its path.

Examples:
  shipguard fleet add git@github.com:acme/api.git https://github.com/acme/web
  shipguard fleet add . --subfolder packages/billing
  shipguard fleet import repositories.txt
  shipguard fleet assess --all                   embedded: assess in this process (SQLite)
  shipguard worker --db postgres://shipguard@db/shipguard   workers on PostgreSQL`,
    );

  fleet
    .command('add')
    .description('add repositories by URL or local path; new ones are staggered, not all due at once')
    .argument('<targets...>', 'remote URLs or local folders')
    .option('--subfolder <path>', 'a package of a monorepo: assess only this folder')
    .option('--stagger-seconds <n>', 'seconds between the first runs of repositories added together', '30')
    .option('--db <location>', dbHelp)
    .action(
      action(async (targets: string[], options: AddOptions) => {
        const identities: RepositoryIdentity[] = [];
        for (const target of targets) {
          identities.push(
            await identifyRepository(
              target,
              options.subfolder === undefined ? {} : { subfolder: options.subfolder },
            ),
          );
        }
        return addIdentities(identities, options);
      }),
    );

  fleet
    .command('import')
    .description(
      'add the repositories listed in a file: one URL or path per line, optionally a subfolder after a space',
    )
    .argument('<file>', 'the list (# starts a comment)')
    .option('--stagger-seconds <n>', 'seconds between the first runs of repositories added together', '30')
    .option('--db <location>', dbHelp)
    .action(
      action(async (file: string, options: AddOptions) => {
        const text = (await readInputFile(file, 'repository list', { maxBytes: maxImportBytes })).toString(
          'utf8',
        );
        const identities: RepositoryIdentity[] = [];
        const errors: string[] = [];
        let lineNumber = 0;
        for (const raw of text.split(/\r?\n/)) {
          lineNumber++;
          const line = raw.replace(/(^|\s)#.*$/, '').trim();
          if (line === '') continue;
          const [target = '', subfolder, ...rest] = line.split(/\s+/);
          if (rest.length > 0) {
            errors.push(`${file}:${lineNumber}: expected "URL [subfolder]"`);
            continue;
          }
          try {
            identities.push(await identifyRepository(target, subfolder === undefined ? {} : { subfolder }));
          } catch (error) {
            errors.push(`${file}:${lineNumber}: ${describeError(error)}`);
          }
        }
        for (const error of errors) writeDiagnostic(error);
        const code = await addIdentities(identities, options);
        return errors.length > 0 ? exitCodes.usage : code;
      }),
    );

  fleet
    .command('list')
    .description('list the repositories of the fleet and how their last run went')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--db <location>', dbHelp)
    .action(
      action(async (options: { db?: string; format: 'table' | 'json' }) => {
        const repositories = await withCommandStore(options.db, (store) => listRepositories(store));
        if (options.format === 'json') {
          await writeOutput(`${JSON.stringify({ schemaVersion: 1, repositories }, null, 2)}\n`, {});
          return exitCodes.ok;
        }
        const lines = repositories.map((repository) =>
          [
            repository.key,
            repository.source === 'path' ? '(path: no remote)' : '',
            `due ${repository.due_at}`,
            repository.last_attempted_at === null
              ? 'never run'
              : `last ${repository.last_status ?? 'running'} ${repository.last_attempted_at}`,
            repository.queued_run_id === null ? '' : `queued (${repository.queued_trigger})`,
            repository.last_status === 'failed' && repository.last_error !== null
              ? `error: ${repository.last_error.slice(0, 200)}`
              : '',
          ]
            .filter((part) => part !== '')
            .join('  '),
        );
        await writeOutput(
          lines.length === 0
            ? 'The fleet holds no repositories. Add some with `shipguard fleet add`.\n'
            : `${lines.join('\n')}\n`,
          {},
        );
        return exitCodes.ok;
      }),
    );

  fleet
    .command('remove')
    .description('remove repositories from the fleet (their stored assessments and ledger entries stay)')
    .argument('<targets...>', 'keys, URLs or local folders')
    .option('--db <location>', dbHelp)
    .action(
      action(async (targets: string[], options: { db?: string }) => {
        const keys: string[] = [];
        for (const target of targets) keys.push(await keyOf(target));
        const { removed, unknown } = await withCommandStore(options.db, (store) =>
          removeRepositories(store, keys),
        );
        for (const key of removed) writeDiagnostic(`removed ${key}`);
        for (const key of unknown) writeDiagnostic(`not in the fleet: ${key}`);
        return unknown.length > 0 ? exitCodes.usage : exitCodes.ok;
      }),
    );

  fleet
    .command('assess')
    .description(
      'embedded mode: run due repositories (or --all, or the named ones) in this process, no queue needed',
    )
    .argument('[targets...]', 'keys, URLs or folders of fleet repositories (default: every due one)')
    .option('--all', 'every repository, due or not')
    .option('-j, --concurrency <n>', 'jobs at once', '2')
    .option(
      '--cache <dir>',
      'where mirrors of remote repositories are kept (default: ~/.cache/shipguard/fleet)',
    )
    .option('--interval-hours <n>', 'how long after a run a repository is due again', '24')
    .option('--db <location>', dbHelp)
    .action(
      action(
        async (
          targets: string[],
          options: { all?: boolean; concurrency: string; cache?: string; intervalHours: string; db?: string },
          command: Command,
        ) => {
          const quiet = globalOptions(command).quiet;
          const concurrency = parseNumber(options.concurrency, '--concurrency', 1, 64, true);
          const keys: string[] = [];
          for (const target of targets) keys.push(await keyOf(target));
          const result = await withCommandStore(options.db, (store) =>
            runEmbedded(fleetJobContext(store, options), {
              concurrency,
              ...(keys.length > 0 ? { keys } : {}),
              ...(options.all ? { all: true } : {}),
              onEvent(event) {
                if (quiet) return;
                if (event.type === 'finished') {
                  writeDiagnostic(
                    `${event.outcome.repository}: ${event.outcome.status} in ${Math.round(event.durationMs)} ms`,
                  );
                } else if (event.type === 'retrying') {
                  writeDiagnostic(
                    `${event.job.repository}: attempt ${event.attempt + 1} failed, retrying: ${event.error}`,
                  );
                } else if (event.type === 'failed') {
                  writeDiagnostic(`${event.job.repository}: failed: ${event.error}`);
                }
              },
            }),
          );
          await writeOutput(
            `${JSON.stringify({ schemaVersion: 1, finished: result.finished, failed: result.failed.map((item) => ({ repository: item.job.repository, runId: item.job.runId, error: item.error })) }, null, 2)}\n`,
            {},
          );
          return result.failed.length > 0 ? exitCodes.internal : exitCodes.ok;
        },
      ),
    );

  fleet
    .command('rematch')
    .description(
      'match the advisory database against every stored SBOM, without reading any repository, and notify',
    )
    .option('--advisory <id...>', 'only these advisories (a new or changed one); default: all, after a sync')
    .option('--policy <file>', 'take the fix deadlines (supplyChain.slaDays) from this policy file')
    .option('--webhook <url>', 'POST new critical and newly overdue matches here, signed (HMAC-SHA-256)')
    .option(
      '--webhook-secret-env <name>',
      'the environment variable holding the webhook signing secret',
      'SHIPGUARD_WEBHOOK_SECRET',
    )
    .option('--db <location>', dbHelp)
    .addHelpText(
      'after',
      `
Every assessment saved in the store (\`assess\`, \`fleet assess\`, workers) keeps the repository's
components by package. After \`advisories sync\` or \`advisories import\`, \`fleet rematch\` finds the
repositories each advisory affects by a query and a version comparison, records new matches and
drops those that no longer hold. With --webhook, new critical matches and matches past their fix
deadline are sent once each; the request carries X-Shipguard-Timestamp and
X-Shipguard-Signature: sha256=HMAC(secret, "<timestamp>.<body>").

Examples:
  shipguard advisories sync && shipguard fleet rematch
  shipguard fleet rematch --advisory GHSA-xxxx-xxxx-xxxx --webhook https://hooks.example.com/shipguard`,
    )
    .action(
      action(
        async (options: {
          advisory?: string[];
          policy?: string;
          webhook?: string;
          webhookSecretEnv: string;
          db?: string;
        }) => {
          const secret = options.webhook ? process.env[options.webhookSecretEnv] : undefined;
          if (options.webhook && !secret)
            throw new UsageError(
              'USAGE_MISSING_ARGUMENT',
              `--webhook needs its signing secret in $${options.webhookSecretEnv}`,
            );
          const slaDays = options.policy
            ? (await loadPolicy(process.cwd(), options.policy)).policy.supplyChain.slaDays
            : defaultPolicy().supplyChain.slaDays;
          const now = new Date();
          return withCommandStore(options.db, async (store) => {
            const result = await rematch(store, {
              now,
              slaDays,
              ...(options.advisory ? { advisoryIds: options.advisory } : {}),
            });
            // The repositories behind each new version match, joined from the stored components.
            const affected = await affectedRepositories(store, [
              ...new Set(result.added.map((match) => match.advisoryId)),
            ]);
            const newKeys = new Set(
              result.added.map((match) => `${match.advisoryId}\0${match.name}\0${match.version}`),
            );
            const lines = affected
              .filter((match) => newKeys.has(`${match.advisoryId}\0${match.name}\0${match.version}`))
              .map(
                (match) =>
                  `  new  ${match.severity.padEnd(8)} ${match.advisoryId}  ${match.purl}  ${match.repository}${match.due ? `  due ${match.due}` : ''}\n`,
              );
            await writeOutput(
              `${result.advisories} advisories against ${result.versionsChecked} stored package versions: ${result.total} version matches, ${result.added.length} new (${lines.length} repository packages), ${result.resolved} resolved\n${lines.join('')}`,
              {},
            );
            if (!options.webhook || !secret) return exitCodes.ok;
            const pending = await pendingNotifications(store, now);
            if (pending.length === 0) return exitCodes.ok;
            const delivery = await deliverWebhook(
              {
                event: 'advisory-matches',
                sentAt: now.toISOString(),
                notifications: pending.map((item) => ({ kind: item.kind, ...item.match })),
              },
              { url: options.webhook, secret },
            );
            await markNotified(store, pending, now);
            writeDiagnostic(`webhook: ${pending.length} notification(s) delivered (HTTP ${delivery.status})`);
            return exitCodes.ok;
          });
        },
      ),
    );

  fleet
    .command('tick')
    .description(
      'queue the repositories that are due, oldest first, up to the in-flight limit (workers on PostgreSQL)',
    )
    .option('--in-flight <n>', 'scheduled runs queued or running at once, at most', '20')
    .option('--queue-schema <name>', 'pg-boss schema', 'shipguard_queue')
    .option('--db <location>', 'the PostgreSQL database (postgres:// URL; default $SHIPGUARD_DB)')
    .action(
      action(async (options: { inFlight: string; queueSchema: string; db?: string }) => {
        const inFlightLimit = parseNumber(options.inFlight, '--in-flight', 1, 100_000, true);
        const queued = await withQueue(options.db, options.queueSchema, (queue) =>
          withCommandStore(options.db, (store) => scheduleTick(store, queue.enqueue, { inFlightLimit })),
        );
        for (const job of queued) writeDiagnostic(`queued ${job.repository} (run ${job.runId})`);
        return exitCodes.ok;
      }),
    );

  fleet
    .command('trigger')
    .description(
      'queue a run now, ahead of scheduled ones and outside the in-flight limit (a push or an upload)',
    )
    .argument('<target>', 'key, URL or folder of a fleet repository')
    .addOption(
      new Option('--reason <reason>', 'what triggered it').choices(['push', 'upload']).default('push'),
    )
    .option('--queue-schema <name>', 'pg-boss schema', 'shipguard_queue')
    .option('--db <location>', 'the PostgreSQL database (postgres:// URL; default $SHIPGUARD_DB)')
    .action(
      action(
        async (target: string, options: { reason: 'push' | 'upload'; queueSchema: string; db?: string }) => {
          const key = await keyOf(target);
          const job = await withQueue(options.db, options.queueSchema, (queue) =>
            withCommandStore(options.db, (store) => triggerRun(store, queue.enqueue, key, options.reason)),
          );
          writeDiagnostic(`queued ${job.repository} (run ${job.runId}, ${job.trigger})`);
          return exitCodes.ok;
        },
      ),
    );
}

async function addIdentities(identities: RepositoryIdentity[], options: AddOptions): Promise<number> {
  const staggerSeconds = parseNumber(options.staggerSeconds, '--stagger-seconds', 0, 86_400);
  const result = await withCommandStore(options.db, (store) =>
    addRepositories(store, identities, { staggerSeconds }),
  );
  for (const identity of result.added) {
    writeDiagnostic(`added ${identity.key}${identity.source === 'path' ? ` (${identity.note})` : ''}`);
  }
  for (const identity of result.present) writeDiagnostic(`already in the fleet: ${identity.key}`);
  return exitCodes.ok;
}

/** A key as given (it names no folder and is not a URL), else the identity of the URL or folder. */
async function keyOf(target: string): Promise<string> {
  try {
    return (await identifyRepository(target)).key;
  } catch (error) {
    if (error instanceof FleetError || (error as { code?: string }).code === 'REPOSITORY_NOT_FOUND')
      return target;
    throw error;
  }
}

/** pg-boss on the store's PostgreSQL database, for commands that queue; the embedded mode needs none. */
export async function withQueue<T>(
  db: string | undefined,
  schema: string,
  work: (queue: FleetQueue) => Promise<T>,
): Promise<T> {
  const location = commandStoreLocation(undefined, db);
  if (location.kind !== 'postgres') {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      'queueing needs PostgreSQL (--db postgres://…); without it, run `shipguard fleet assess` (embedded)',
    );
  }
  const queue = await startQueue({ url: location.url, schema }, (error) =>
    writeDiagnostic(`queue: ${describeError(error)}`),
  );
  try {
    return await work(queue);
  } finally {
    await queue.stop();
  }
}
