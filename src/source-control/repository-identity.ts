import { isAbsolute, resolve } from 'node:path';
import { runGitText } from '../kernel/index.js';
import { resolveRepositoryRoot } from '../store/index.js';
import { SourceControlError } from './errors.js';

/**
 * What a repository is, whatever folder it was cloned into: the key history, saved assessments
 * and the fleet use. A key from a remote is `host[:port]/path` (`github.com/acme/api`), with
 * `//subfolder` for one package of a monorepo; without a remote it is the absolute path of the
 * work tree, and `source` says so.
 */
export interface RepositoryIdentity {
  key: string;
  source: 'remote' | 'path';
  /** Where to fetch it from, credentials removed; the folder itself for a path key. */
  url: string;
  subfolder?: string;
  /** Why the key is what it is, for a reader (which remote was used, or that none exists). */
  note: string;
}

const maxUrlLength = 2048;
const defaultPorts: Readonly<Record<string, string>> = { 'https:': '443', 'http:': '80' };

/**
 * The key of a remote URL: scheme and host case, `.git`, trailing slashes, credentials and the
 * ssh-versus-https form do not matter. `git@github.com:Acme/api.git`,
 * `ssh://git@GitHub.com/Acme/api` and `https://user:token@github.com/Acme/api.git/` are all
 * `github.com/Acme/api` (the path keeps its case: many forges treat it as case-sensitive).
 * A port is kept only for http(s) and only when it is not the default; ssh's port never is,
 * since the same repository answers ssh on one port and https on another.
 */
export function normaliseRemoteUrl(text: string, cwd = process.cwd()): { key: string; url: string } {
  const url = text.trim();
  checkText(url, 'the repository URL');
  // `transport::address` runs a git remote helper (ext:: runs a command): never a fleet URL.
  const isPath = url.startsWith('/') || url.startsWith('.') || url.startsWith('file:');
  if (/^[a-z][a-z0-9+.-]*::/i.test(url) || (!isPath && /\s/.test(url))) {
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_REPOSITORY',
      `not a repository URL git may fetch safely: ${url}`,
    );
  }
  const scp = /^(?:[^@/:\s]+@)?([^@/:\s[\]]+):(?!\/\/)(.*)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !isWindowsDrive(url)) {
    const host = (scp[1] ?? '').toLowerCase();
    const path = normalisePath(scp[2] ?? '', url);
    // scp-like syntax carries no password; the ssh user name is needed to fetch.
    return { key: `${host}/${path}`, url };
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    // A local path used as a remote (a bare repository on disk).
    const absolute = isAbsolute(url) ? resolve(url) : resolve(cwd, url);
    return { key: `file://${stripGitSuffix(absolute)}`, url: absolute };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new SourceControlError('SOURCE_CONTROL_INVALID_REPOSITORY', `not a valid repository URL: ${url}`, {
      cause: error,
    });
  }
  const scheme = parsed.protocol.toLowerCase();
  if (scheme === 'file:') {
    const path = decodeURIComponent(parsed.pathname);
    return { key: `file://${stripGitSuffix(resolve(path))}`, url: resolve(path) };
  }
  if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(scheme)) {
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_REPOSITORY',
      `unsupported repository URL scheme ${scheme} in ${url}`,
    );
  }
  const host = parsed.hostname.toLowerCase();
  if (host === '')
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_REPOSITORY',
      `the repository URL ${url} names no host`,
    );
  const keepPort =
    (scheme === 'https:' || scheme === 'http:') && parsed.port !== '' && parsed.port !== defaultPorts[scheme];
  const hostPort = keepPort ? `${host}:${parsed.port}` : host;
  const path = normalisePath(decodeURIComponent(parsed.pathname), url);
  // The fetch URL keeps the scheme and port but never a credential (a worker's git credential
  // helper supplies those); an ssh user name is not a secret and ssh needs it.
  if (scheme === 'https:' || scheme === 'http:') parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return { key: `${hostPort}/${path}`, url: parsed.href };
}

/** `packages/api/` → `packages/api`; `..`, absolute paths and control characters are refused. */
export function normaliseSubfolder(text: string): string {
  checkText(text, 'the subfolder');
  const parts = text.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..') || isAbsolute(text)) {
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_REPOSITORY',
      `the subfolder must stay inside the repository: ${text}`,
    );
  }
  return parts.join('/');
}

/** Adds the monorepo package to a key: `github.com/acme/mono//packages/api`. */
export function withSubfolder(key: string, subfolder: string | undefined): string {
  const folder = subfolder === undefined || subfolder === '' ? '' : normaliseSubfolder(subfolder);
  return folder === '' ? key : `${key}//${folder}`;
}

/** The identity of a repository given by URL or by a local path (its remote, else the path). */
export async function identifyRepository(
  target: string,
  options: { subfolder?: string; cwd?: string } = {},
): Promise<RepositoryIdentity> {
  const cwd = options.cwd ?? process.cwd();
  checkText(target.trim(), 'the repository');
  if (looksLikeUrl(target.trim())) {
    const remote = normaliseRemoteUrl(target, cwd);
    return finish(remote.key, 'remote', remote.url, options.subfolder, `keyed by the URL given`);
  }
  const folder = resolve(cwd, target);
  // A bare repository on disk is a remote, not a clone: keyed and fetched as one.
  if ((await runGitText(folder, ['rev-parse', '--is-bare-repository']).catch(() => '')) === 'true') {
    const remote = normaliseRemoteUrl(folder, cwd);
    return finish(
      remote.key,
      'remote',
      remote.url,
      options.subfolder,
      'keyed by the path of the bare repository',
    );
  }
  return identifyFolder(folder, options.subfolder);
}

/**
 * The identity of a local folder: its work tree's `origin` remote (else its only remote, else the
 * first by name, which the note names), else its path. A folder inside the work tree is the
 * monorepo package it is in unless `subfolder` says otherwise.
 */
export async function identifyFolder(folder: string, subfolder?: string): Promise<RepositoryIdentity> {
  const root = await resolveRepositoryRoot(folder);
  const remotes = (await runGitText(root, ['remote']).catch(() => ''))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .sort();
  const chosen = remotes.includes('origin') ? 'origin' : remotes[0];
  if (chosen === undefined) {
    return finish(root, 'path', root, subfolder, 'keyed by its path: the repository has no remote');
  }
  const url = await runGitText(root, ['remote', 'get-url', chosen]);
  const remote = normaliseRemoteUrl(url, root);
  const others = remotes.length > 1 ? ` (of ${remotes.length} remotes)` : '';
  return finish(remote.key, 'remote', remote.url, subfolder, `keyed by its remote "${chosen}"${others}`);
}

function finish(
  key: string,
  source: RepositoryIdentity['source'],
  url: string,
  subfolder: string | undefined,
  note: string,
): RepositoryIdentity {
  const folder = subfolder === undefined ? '' : normaliseSubfolder(subfolder);
  const identity: RepositoryIdentity = { key: withSubfolder(key, folder), source, url, note };
  if (folder !== '') identity.subfolder = folder;
  return identity;
}

function looksLikeUrl(text: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return true;
  return /^(?:[^@/:\s]+@)?[^@/:\s[\]]+:(?!\/\/)/.test(text) && !isWindowsDrive(text);
}

function isWindowsDrive(text: string): boolean {
  return /^[a-z]:[\\/]/i.test(text);
}

function normalisePath(path: string, url: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0)
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_REPOSITORY',
      `the repository URL ${url} names no path`,
    );
  if (parts.some((part) => part === '..')) {
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_REPOSITORY',
      `the repository URL ${url} climbs out of its path`,
    );
  }
  return stripGitSuffix(parts.join('/'));
}

function stripGitSuffix(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.toLowerCase().endsWith('.git') ? trimmed.slice(0, -4).replace(/\/+$/, '') : trimmed;
}

function checkText(text: string, what: string): void {
  if (text === '') throw new SourceControlError('SOURCE_CONTROL_INVALID_REPOSITORY', `${what} is empty`);
  if (text.length > maxUrlLength)
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_REPOSITORY',
      `${what} is longer than ${maxUrlLength} characters`,
    );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(text))
    throw new SourceControlError('SOURCE_CONTROL_INVALID_REPOSITORY', `${what} holds control characters`);
}
