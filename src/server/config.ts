/**
 * The server's configuration: a YAML file (`--config`) and the values the CLI reads from the
 * environment (secrets never go in the file), validated with zod at start. `resolveServerConfig`
 * refuses a setting that would run the server insecurely and says which and why; it never
 * quietly weakens one.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseYamlValue } from '../kernel/index.js';
import { ServerError } from './errors.js';
import { defaultMultiFactorAcr, type MultiFactorRequirement } from './multi-factor.js';

const maxConfigBytes = 64 * 1024;

export const ServerConfigFile = z
  .object({
    /** The address people open (behind a TLS-terminating proxy, its https:// URL). */
    publicUrl: z.url().optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(0).max(65_535).optional(),
    /** Trust X-Forwarded-* from the proxy in front (only when there is one). */
    trustProxy: z.boolean().default(false),
    sessions: z
      .object({
        idleMinutes: z.number().int().min(1).max(120).default(30),
        absoluteHours: z.number().int().min(1).max(24).default(12),
      })
      .strict()
      .default({ idleMinutes: 30, absoluteHours: 12 }),
    oidc: z
      .object({
        issuer: z.url(),
        clientId: z.string().min(1).max(256),
        scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/)).default(['openid', 'email', 'profile']),
        /** Which roles need a sign-in with a second factor, and what shows one (decision 0010). */
        multiFactor: z
          .object({
            requiredFor: z.enum(['privileged', 'everyone', 'nobody']).default('privileged'),
            /** `acr` values the provider uses for a multi-factor sign-in. */
            acr: z
              .array(z.string().min(1).max(512))
              .max(20)
              .default([...defaultMultiFactorAcr]),
            /** Ask the provider for one of those classes (`acr_values`) at every sign-in. */
            requestAcr: z.boolean().default(false),
          })
          .strict()
          .default({ requiredFor: 'privileged', acr: [...defaultMultiFactorAcr], requestAcr: false }),
      })
      .strict()
      .optional(),
    limits: z
      .object({
        bodyBytes: z
          .number()
          .int()
          .min(1024)
          .max(10 * 1024 * 1024)
          .default(1024 * 1024),
        uploadBytes: z
          .number()
          .int()
          .min(1024)
          .max(512 * 1024 * 1024)
          .default(25 * 1024 * 1024),
        filesPerRequest: z.number().int().min(1).max(20).default(4),
        fieldsPerRequest: z.number().int().min(1).max(200).default(50),
        /** What one person, token or CI identity may have accepted through the API in 24 hours. */
        uploadBytesPerDay: z
          .number()
          .int()
          .min(1024 * 1024)
          .max(1024 ** 4)
          .default(5 * 1024 ** 3),
      })
      .strict()
      .default({
        bodyBytes: 1024 * 1024,
        uploadBytes: 25 * 1024 * 1024,
        filesPerRequest: 4,
        fieldsPerRequest: 50,
        uploadBytesPerDay: 5 * 1024 ** 3,
      }),
    rateLimit: z
      .object({
        perMinute: z.number().int().min(1).max(100_000).default(600),
        signInPerMinute: z.number().int().min(1).max(1000).default(20),
      })
      .strict()
      .default({ perMinute: 600, signInPerMinute: 20 }),
    /** CI systems whose workload ID tokens may upload (`assess --upload` with --id-token). */
    ci: z
      .object({
        workloadIssuers: z
          .array(
            z
              .object({
                /** e.g. the GitHub Actions or GitLab token issuer URL. */
                issuer: z.url(),
                /** The audience CI mints the token for. */
                audience: z.string().min(1).max(256),
                /** The forge host: with the token's repository claim it names the repository. */
                host: z.string().regex(/^[a-z0-9.-]{1,253}(?::\d{1,5})?$/i),
                /** Refs uploads may come from (e.g. refs/heads/main); absent: any. */
                refs: z.array(z.string().min(1).max(256)).max(100).optional(),
              })
              .strict(),
          )
          .max(20)
          .default([]),
      })
      .strict()
      .default({ workloadIssuers: [] }),
  })
  .strict();
export type ServerConfigFile = z.infer<typeof ServerConfigFile>;

/** What the CLI passes beside the file: options and the environment's secrets. */
export interface ServerConfigInputs {
  fileText?: string;
  filePath?: string;
  host?: string;
  port?: number;
  /** SHIPGUARD_SESSION_SECRET: signs the sign-in cookie and keys the CSRF tokens. */
  sessionSecret?: string;
  /** SHIPGUARD_OIDC_CLIENT_SECRET. */
  oidcClientSecret?: string;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Undefined: the listening address on loopback, known once the server listens. */
  publicUrl?: URL;
  trustProxy: boolean;
  sessions: { idleMs: number; absoluteMs: number };
  oidc?: {
    issuer: URL;
    clientId: string;
    clientSecret: string;
    scopes: readonly string[];
    multiFactor: { requiredFor: MultiFactorRequirement; acr: readonly string[]; requestAcr: boolean };
  };
  /** Undefined on loopback without one: the server makes a random one per start. */
  sessionSecret?: string;
  limits: ServerConfigFile['limits'];
  rateLimit: ServerConfigFile['rateLimit'];
  ci: ServerConfigFile['ci'];
  /** No OIDC and loopback only: the local sign-in with the printed token (decision 0005). */
  localSignIn: boolean;
}

export const minimumSecretLength = 32;
export const defaultHost = '127.0.0.1';
export const defaultPort = 8080;

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

function readFile(inputs: ServerConfigInputs): ServerConfigFile {
  const where = inputs.filePath ?? 'the server configuration';
  if (inputs.fileText === undefined) return ServerConfigFile.parse({});
  if (Buffer.byteLength(inputs.fileText) > maxConfigBytes)
    throw new ServerError('SERVER_CONFIG_INVALID', `${where} is larger than ${maxConfigBytes} bytes`);
  let raw: unknown;
  try {
    raw = parseYamlValue(inputs.fileText, { maxAliasCount: 10 }) ?? {};
  } catch (error) {
    throw new ServerError(
      'SERVER_CONFIG_INVALID',
      `${where} is not valid YAML: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const parsed = ServerConfigFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
    throw new ServerError('SERVER_CONFIG_INVALID', `${where}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Every reason the settings are insecure; empty when they are not. */
export function insecureSettings(config: ServerConfig): string[] {
  const reasons: string[] = [];
  const loopback = isLoopbackHost(config.host);
  if (config.publicUrl) {
    if (config.publicUrl.protocol !== 'https:' && !isLoopbackHost(config.publicUrl.hostname))
      reasons.push(
        `publicUrl ${config.publicUrl.origin} is not https: outside loopback the session cookie and sign-in must travel over TLS`,
      );
    if (
      config.publicUrl.username ||
      config.publicUrl.password ||
      config.publicUrl.search ||
      config.publicUrl.hash
    )
      reasons.push('publicUrl must be a plain origin and path (no credentials, query or fragment)');
  }
  if (!loopback && !config.publicUrl)
    reasons.push(`host ${config.host} is not loopback: set publicUrl to the https:// address people open`);
  if (!loopback && !config.oidc)
    reasons.push(
      `host ${config.host} is not loopback and no OIDC provider is configured: the local sign-in is for loopback only`,
    );
  // A loopback host behind a proxy still serves the network: the address people open decides.
  if (loopback && !config.oidc && config.publicUrl && !isLoopbackHost(config.publicUrl.hostname))
    reasons.push(
      `publicUrl ${config.publicUrl.origin} is not loopback and no OIDC provider is configured: the local sign-in is for loopback only`,
    );
  if (config.oidc) {
    if (config.oidc.issuer.protocol !== 'https:' && !isLoopbackHost(config.oidc.issuer.hostname))
      reasons.push(`oidc.issuer ${config.oidc.issuer.origin} is not https`);
    if (config.oidc.clientSecret.length === 0)
      reasons.push('oidc is configured but SHIPGUARD_OIDC_CLIENT_SECRET is not set');
    if (!config.oidc.scopes.includes('openid')) reasons.push('oidc.scopes must include openid');
  }
  if (config.sessionSecret !== undefined && config.sessionSecret.length < minimumSecretLength)
    reasons.push(`SHIPGUARD_SESSION_SECRET is shorter than ${minimumSecretLength} characters`);
  if (config.sessionSecret === undefined && !loopback)
    reasons.push(
      `SHIPGUARD_SESSION_SECRET is not set: outside loopback it must be set (at least ${minimumSecretLength} random characters)`,
    );
  if (config.sessions.idleMs > config.sessions.absoluteMs)
    reasons.push('sessions.idleMinutes is longer than sessions.absoluteHours');
  return reasons;
}

/**
 * The file, the CLI's options and the environment's secrets as one validated configuration.
 * Throws SERVER_CONFIG_INVALID for malformed input and SERVER_CONFIG_INSECURE listing every
 * insecure setting.
 */
export function resolveServerConfig(inputs: ServerConfigInputs): ServerConfig {
  const file = readFile(inputs);
  const host = inputs.host ?? file.host ?? defaultHost;
  const port = inputs.port ?? file.port ?? defaultPort;
  const config: ServerConfig = {
    host,
    port,
    ...(file.publicUrl ? { publicUrl: new URL(file.publicUrl) } : {}),
    trustProxy: file.trustProxy,
    sessions: {
      idleMs: file.sessions.idleMinutes * 60_000,
      absoluteMs: file.sessions.absoluteHours * 3_600_000,
    },
    ...(file.oidc
      ? {
          oidc: {
            issuer: new URL(file.oidc.issuer),
            clientId: file.oidc.clientId,
            clientSecret: inputs.oidcClientSecret ?? '',
            scopes: file.oidc.scopes,
            multiFactor: file.oidc.multiFactor,
          },
        }
      : {}),
    ...(inputs.sessionSecret !== undefined ? { sessionSecret: inputs.sessionSecret } : {}),
    limits: file.limits,
    rateLimit: file.rateLimit,
    ci: file.ci,
    localSignIn: !file.oidc && isLoopbackHost(host),
  };
  const reasons = insecureSettings(config);
  if (reasons.length > 0)
    throw new ServerError(
      'SERVER_CONFIG_INSECURE',
      `refusing to start: ${reasons.join('; ')} (see docs/server.md)`,
    );
  return config;
}
