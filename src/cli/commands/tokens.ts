import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { api } from '../../server/index.js';
import { normaliseRemoteUrl } from '../../source-control/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printSecretOnce, writeDiagnostic, writeOutput } from '../output.js';
import { withCommandStore } from '../store-access.js';

const dbHelp =
  'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)';
const dayMs = 86_400_000;

/** `90d` from now, or a date / date-time; the token must expire within a year either way. */
export function parseExpiry(text: string, now: Date): Date {
  const days = /^(\d{1,4})d$/.exec(text.trim());
  if (days) return new Date(now.getTime() + Number(days[1]) * dayMs);
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text.trim());
  if (Number.isNaN(date.getTime())) {
    throw new UsageError('USAGE_INVALID_OPTION', `--expires: ${text.slice(0, 50)} is neither Nd nor a date`);
  }
  return date;
}

/** A repository key from a URL or key as given; `*` (every repository, for reading) stays. */
function repositoryKey(text: string): string {
  if (text === api.everyRepository) return text;
  const withScheme =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[^/]+@[^/]+:/.test(text) ? text : `https://${text}`;
  return normaliseRemoteUrl(withScheme).key;
}

function localAdministrator(): string {
  // Whoever can open the store administers it; the ledger names the account that did.
  return `local administrator (${userInfo().username})`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerTokensCommand(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('API tokens of shipguard serve: make one for CI, list them, revoke one')
    .addHelpText(
      'after',
      `
A token is shown once, when it is made; the store keeps only its SHA-256. Every token names its
roles (ci uploads; a person's role reads), the repositories it may act on, and when it expires
(at most ${api.maxTokenLifetimeDays} days). Making and revoking are ledgered.

Examples:
  shipguard tokens create --name "CI of api" --role ci --repository github.com/acme/api --expires 90d --db postgres://…
  shipguard tokens create --name dashboard --role auditor --repository '*' --expires 2027-03-31
  shipguard tokens list --format json
  shipguard tokens revoke 5f0c…`,
    );

  tokens
    .command('create')
    .description('make a token and print it (once) on stdout')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--role <role>', `a role (repeatable): ${api.tokenRoles.join(', ')}`, collect, [])
    .option(
      '--repository <url-or-key>',
      "a repository the token may act on (repeatable); '*' = read every repository",
      collect,
      [],
    )
    .requiredOption('--expires <when>', 'Nd (days from now) or a date; at most a year')
    .option('--created-by <name>', 'who asked for it (default: the local account)')
    .option('--db <location>', dbHelp)
    .action(
      action(
        async (options: {
          name: string;
          role: string[];
          repository: string[];
          expires: string;
          createdBy?: string;
          db?: string;
        }) => {
          const now = new Date();
          const repositories = options.repository.map(repositoryKey);
          const { token, info } = await withCommandStore(options.db, (store) =>
            api.createApiToken(store, {
              name: options.name,
              roles: options.role,
              repositories,
              createdBy: options.createdBy ?? localAdministrator(),
              expiresAt: parseExpiry(options.expires, now),
              now,
            }),
          );
          writeDiagnostic(
            `token ${info.id} (${info.name}): roles ${info.roles.join(', ')}; repositories ${info.repositories.join(', ') || '(none)'}; expires ${info.expiresAt}. It is shown once: store it as a CI secret now.`,
          );
          printSecretOnce(token);
          return exitCodes.ok;
        },
      ),
    );

  tokens
    .command('list')
    .description('list tokens (never their secrets): roles, scope, expiry, revocation')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--db <location>', dbHelp)
    .action(
      action(async (options: { db?: string; format: 'table' | 'json' }) => {
        const listed = await withCommandStore(options.db, (store) => api.listApiTokens(store));
        if (options.format === 'json') {
          await writeOutput(`${JSON.stringify({ schemaVersion: 1, tokens: listed }, null, 2)}\n`, {});
          return exitCodes.ok;
        }
        const now = Date.now();
        const lines = listed.map((token) =>
          [
            token.id,
            token.name,
            token.roles.join(','),
            token.repositories.join(',') || '(no repository)',
            token.revokedAt !== undefined
              ? `revoked ${token.revokedAt}`
              : Date.parse(token.expiresAt) <= now
                ? `expired ${token.expiresAt}`
                : `expires ${token.expiresAt}`,
          ].join('  '),
        );
        await writeOutput(lines.length === 0 ? 'no API tokens\n' : `${lines.join('\n')}\n`, {});
        return exitCodes.ok;
      }),
    );

  tokens
    .command('revoke')
    .description('revoke a token for good (it is refused from then on)')
    .argument('<id>', 'the token id (from tokens list)')
    .option('--by <name>', 'who revokes it (default: the local account)')
    .option('--db <location>', dbHelp)
    .action(
      action(async (id: string, options: { by?: string; db?: string }) => {
        const info = await withCommandStore(options.db, (store) =>
          api.revokeApiToken(store, { id, revokedBy: options.by ?? localAdministrator(), now: new Date() }),
        );
        writeDiagnostic(`token ${info.id} (${info.name}) revoked at ${info.revokedAt ?? ''}`);
        return exitCodes.ok;
      }),
    );
}
