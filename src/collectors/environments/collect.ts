import { createHash } from 'node:crypto';
import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Position } from '../../pipelines/index.js';
import {
  describePipeline,
  type JobEvidence,
  loadPipelines,
  looksLikeCredential,
} from '../../pipelines/index.js';

export type EnvironmentClass = 'production' | 'non-production';

export interface ConfigValue {
  /** A host name, or the SHA-256 of a secret value (never the value). */
  value: string;
  /** For secrets: a masked form to show; for hosts: the host. */
  shown: string;
  position: Position;
}

export interface EnvironmentConfigFile {
  path: string;
  environment: EnvironmentClass;
  /** The environment token the path names (prod, staging, dev…). */
  token: string;
  hosts: ConfigValue[];
  secrets: ConfigValue[];
}

export interface JobSecrets {
  job: JobEvidence;
  secrets: { name: string; position: Position }[];
}

export interface EnvironmentsFacts {
  jobs: JobSecrets[];
  configFiles: EnvironmentConfigFile[];
}

const productionTokens = new Set(['prod', 'production', 'prd', 'live']);
const nonProductionTokens = new Set([
  'dev',
  'development',
  'test',
  'testing',
  'staging',
  'stage',
  'stg',
  'qa',
  'uat',
  'local',
  'sandbox',
  'preview',
  'ci',
]);
const configExtensions = /\.(json|ya?ml|toml|ini|properties|tfvars|env|conf|cfg|hcl)$/;
const skipped = /(^|\/)(node_modules|vendor|\.git|test|tests|__tests__|__fixtures__|fixtures|spec)\//;
const maxConfigFiles = 500;

/** The environment a config file is for, from tokens of its path (`config/production.yml`, `.env.staging`). */
export function environmentOfPath(
  path: string,
): { environment: EnvironmentClass; token: string } | undefined {
  if (skipped.test(path)) return undefined;
  const base = path.slice(path.lastIndexOf('/') + 1);
  const isEnvFile = /^\.env\.[a-z]+$/.test(base);
  const inConfigFolder =
    /(^|\/)(config|configs|environments|envs?|overlays|deploy|deployments|helm|charts|terraform|infra)\//.test(
      path,
    );
  if (
    !isEnvFile &&
    !(
      configExtensions.test(base) &&
      (inConfigFolder ||
        /^(values|application|appsettings|settings)[-.]/.test(base) ||
        base.endsWith('.tfvars'))
    )
  )
    return undefined;
  const tokens = path.toLowerCase().split(/[/._-]/);
  for (const token of tokens.reverse()) {
    if (productionTokens.has(token)) return { environment: 'production', token };
    if (nonProductionTokens.has(token)) return { environment: 'non-production', token };
  }
  return undefined;
}

const urlHost = /\b([a-z][a-z0-9+.-]{1,20}):\/\/(?:[^\s/@'"]{1,200}@)?([A-Za-z0-9.-]{1,253})/g;
const hostKey =
  /^\s*["']?[A-Za-z0-9_.-]*(host|hostname|server|endpoint|domain|address)["']?\s*[:=]\s*["']?([A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24})\b/i;
const keyValue = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.-]{1,100})["']?\s*[:=]\s*["']?([^"'\s#]{1,512})/;
const dataStoreScheme =
  /^(postgres|postgresql|mysql|mariadb|mongodb|mongodb\+srv|redis|rediss|amqp|amqps|ldap|ldaps|jdbc|sqlserver|mssql|kafka|nats|cassandra|elasticsearch)$/;
const dataStoreKey = /(db|database|redis|mongo|sql|cache|queue|broker|kafka|rabbit|elastic|ldap)/i;
const reservedHost =
  /(^localhost$|^127\.|^0\.0\.0\.0$|(^|\.)example(\.(com|org|net))?$|\.test$|\.invalid$|\.localhost$|\.local$)/i;

function mask(value: string): string {
  return value.length <= 4 ? '****' : `${value.slice(0, 2)}…${value.slice(-2)}`;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Hosts of data stores or named for production, and secret-looking literals, with positions. */
export function readConfigValues(
  path: string,
  text: string,
): { hosts: ConfigValue[]; secrets: ConfigValue[] } {
  const hosts: ConfigValue[] = [];
  const secrets: ConfigValue[] = [];
  for (const [index, line] of text.split('\n').slice(0, 20_000).entries()) {
    if (line.length > 4000 || /^\s*(#|\/\/)/.test(line)) continue;
    const position = (column: number): Position => ({ path, line: index + 1, column: column + 1 });
    const pair = keyValue.exec(line);
    const key = pair?.[1] ?? '';
    for (const match of line.matchAll(urlHost)) {
      const scheme = (match[1] ?? '').toLowerCase();
      const host = (match[2] ?? '').toLowerCase();
      if (reservedHost.test(host)) continue;
      const tokens = host.split(/[.-]/);
      if (
        dataStoreScheme.test(scheme) ||
        dataStoreKey.test(key) ||
        tokens.some((token) => productionTokens.has(token))
      ) {
        hosts.push({ value: host, shown: host, position: position(match.index ?? 0) });
      }
      const credentials = /^[^:]{1,100}:([^@]{1,200})@/.exec(match[0].slice(match[0].indexOf('//') + 2));
      if (credentials?.[1] && !/^\$|^\{\{|^<|^\*+$/.test(credentials[1])) {
        secrets.push({
          value: digest(credentials[1]),
          shown: mask(credentials[1]),
          position: position(match.index ?? 0),
        });
      }
    }
    const hostMatch = hostKey.exec(line);
    const hostValue = hostMatch?.[2]?.toLowerCase();
    if (
      hostValue &&
      !reservedHost.test(hostValue) &&
      !hosts.some((host) => host.value === hostValue && host.position.line === index + 1)
    ) {
      if (dataStoreKey.test(key) || hostValue.split(/[.-]/).some((token) => productionTokens.has(token)))
        hosts.push({ value: hostValue, shown: hostValue, position: position(line.indexOf(hostValue)) });
    }
    if (pair?.[2] && looksLikeCredential(key, pair[2]) && !/shipguard:allow/.test(line)) {
      secrets.push({
        value: digest(pair[2]),
        shown: mask(pair[2]),
        position: position(line.indexOf(pair[2])),
      });
    }
  }
  return { hosts, secrets };
}

export async function collectEnvironments(repository: RepositorySnapshot): Promise<EnvironmentsFacts> {
  const set = await loadPipelines(repository);
  const jobs = set.pipelines.flatMap((pipeline) =>
    describePipeline(pipeline).jobs.map((job) => ({ job, secrets: job.job.secretRefs })),
  );
  const configFiles: EnvironmentConfigFile[] = [];
  for (const path of repository.files) {
    if (configFiles.length >= maxConfigFiles) break;
    const environment = environmentOfPath(path);
    if (!environment) continue;
    const file = await repository.readText(path, 256 * 1024);
    if (!file) continue;
    configFiles.push({ path, ...environment, ...readConfigValues(path, file.text) });
  }
  return { jobs, configFiles };
}
