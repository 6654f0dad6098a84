import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/index.js';
import { readInputFile } from '../../kernel/index.js';
import {
  apiServerOptions,
  buildServer,
  hasAdministrator,
  issueBootstrapToken,
  resolveServerConfig,
  ServerError,
} from '../../server/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { parseNumber } from '../fleet-access.js';
import { printStdout, writeDiagnostic } from '../output.js';
import { commandStoreAccess } from '../store-access.js';

interface ServeOptions {
  db?: string;
  config?: string;
  host?: string;
  port?: string;
}

/** A server configuration is a page of YAML; anything larger is not one. */
const maxConfigFileBytes = 1024 * 1024;

async function readConfigFile(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return (await readInputFile(path, 'server configuration', { maxBytes: maxConfigFileBytes })).toString(
      'utf8',
    );
  } catch (error) {
    throw new ServerError('SERVER_CONFIG_INVALID', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the team server and dashboard (SQLite by default, PostgreSQL with --db postgres://…)')
    .option(
      '--db <location>',
      'the store: a SQLite file or a postgres:// URL (default $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option(
      '--config <file>',
      'server configuration (YAML): publicUrl, oidc, sessions, limits; see docs/server.md',
    )
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1; anything else needs OIDC and https)',
    )
    .option('--port <n>', 'port to listen on (default 8080)')
    .addHelpText(
      'after',
      `
Secrets come from the environment, never the file: SHIPGUARD_SESSION_SECRET (at least 32 random
characters; required outside loopback) and SHIPGUARD_OIDC_CLIENT_SECRET (with oidc: in the file).
Without OIDC the server listens on loopback only and offers a local development sign-in with a
token printed at start. With OIDC, the first start prints a one-time bootstrap token that makes
the first person to sign in with it the administrator.`,
    )
    .action(
      action(async (options: ServeOptions) => {
        const port =
          options.port === undefined ? undefined : parseNumber(options.port, '--port', 0, 65_535, true);
        const fileText = await readConfigFile(options.config);
        const sessionSecret = process.env['SHIPGUARD_SESSION_SECRET'];
        const oidcClientSecret = process.env['SHIPGUARD_OIDC_CLIENT_SECRET'];
        const config = resolveServerConfig({
          ...(fileText !== undefined ? { fileText } : {}),
          ...(options.config !== undefined ? { filePath: options.config } : {}),
          ...(options.host !== undefined ? { host: options.host } : {}),
          ...(port !== undefined ? { port } : {}),
          ...(sessionSecret ? { sessionSecret } : {}),
          ...(oidcClientSecret ? { oidcClientSecret } : {}),
        });
        if (options.host !== undefined && options.host.length === 0)
          throw new UsageError('USAGE_INVALID_OPTION', '--host must not be empty');
        const access = commandStoreAccess(undefined, options.db);
        const store = await access.open();
        const localSignInToken = config.localSignIn
          ? `sgl_${randomBytes(24).toString('base64url')}`
          : undefined;
        const app = await buildServer({
          store,
          config,
          ...(localSignInToken ? { localSignInToken } : {}),
          ...apiServerOptions(store, config, { catalog: loadCatalog() }),
        });
        const address = await app.listen({ host: config.host, port: config.port });
        const url = config.publicUrl?.href ?? `${address}/`;
        const lines = [`shipguard serve: ${url} (store: ${store.location})`];
        if (localSignInToken) {
          lines.push(
            'No identity provider is configured: local development sign-in only, on loopback.',
            `Open ${url}login and paste this sign-in token (valid until the server stops):`,
            `  ${localSignInToken}`,
          );
        } else if (!(await hasAdministrator(store, new Date()))) {
          const token = await issueBootstrapToken(store, new Date());
          lines.push(
            'No administrator yet. Open the sign-in page, paste this one-time bootstrap token under',
            '"First administrator" and sign in with your identity provider; it works once, within 24 hours',
            '(start the server again for a new one):',
            `  ${token}`,
          );
        } else {
          lines.push(`Sign in at ${url}login with your identity provider.`);
        }
        printStdout(`${lines.join('\n')}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        writeDiagnostic('shipguard serve: stopping');
        await app.close();
        await access.close();
        return exitCodes.ok;
      }),
    );
}
