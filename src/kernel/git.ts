import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { gitEnvironment } from './child-environment.js';
import { errorOfKind } from './errors.js';

export type GitErrorCode = 'GIT_NOT_FOUND' | 'GIT_FAILED' | 'GIT_OUTPUT_TOO_LARGE' | 'GIT_TIMEOUT';

export class GitError extends errorOfKind<GitErrorCode>('internal') {}

export interface GitOptions {
  /** Upper bound on captured stdout; larger output is an error, never silently cut. */
  maxOutputBytes?: number;
  timeoutMs?: number;
  /** Written to git's stdin, then closed. */
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 from `check-ignore`). Default: [0]. */
  successExitCodes?: readonly number[];
}

const defaultMaxOutputBytes = 64 * 1024 * 1024;
const defaultTimeoutMs = 60_000;

/**
 * Runs `git` with an argument array (never through a shell) in `cwd` and returns stdout.
 * Prompts and pagers are disabled, so a hostile repository cannot make it wait for input.
 */
export function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<Buffer> {
  const memo = options.input === undefined ? gitMemo.getStore() : undefined;
  if (memo === undefined) return spawnGit(cwd, args, options);
  const key = JSON.stringify([
    cwd,
    args,
    options.maxOutputBytes,
    options.successExitCodes,
    options.timeoutMs,
  ]);
  const known = memo.get(key);
  if (known) return known;
  const running = spawnGit(cwd, args, options);
  memo.set(key, running);
  // Large answers (a whole history) are not kept: memory matters more than a second process.
  running.then(
    (output) => {
      if (output.length > maxMemoBytes) memo.delete(key);
    },
    () => memo.delete(key),
  );
  return running;
}

/**
 * Within one assessment, the same read-only git question (same folder, arguments and options, no
 * stdin) is asked of git once: collectors ask many of the same (the default branch, HEAD, whether
 * the clone is shallow), and each process costs milliseconds to start from a large parent.
 */
const gitMemo = new AsyncLocalStorage<Map<string, Promise<Buffer>>>();
const maxMemoBytes = 1024 * 1024;

/**
 * Runs `work` with identical git calls answered once (see `gitMemo`); the answers go with it.
 * Inside another such scope (a command around its assessment), that scope's answers are shared.
 */
export function withGitMemo<T>(work: () => Promise<T>): Promise<T> {
  return gitMemo.getStore() === undefined ? gitMemo.run(new Map(), work) : work();
}

function spawnGit(cwd: string, args: readonly string[], options: GitOptions): Promise<Buffer> {
  const maxOutputBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotepath=off', '--no-pager', ...args], {
      cwd,
      env: gitEnvironment(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let settled = false;
    const finish = (error: GitError | undefined, output?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else {
        resolve(output ?? Buffer.alloc(0));
      }
    };
    const timer = setTimeout(
      () => finish(new GitError('GIT_TIMEOUT', `git ${args[0] ?? ''} took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutputBytes) {
        finish(
          new GitError(
            'GIT_OUTPUT_TOO_LARGE',
            `git ${args[0] ?? ''} printed more than ${maxOutputBytes} bytes`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const code: GitErrorCode = error.code === 'ENOENT' ? 'GIT_NOT_FOUND' : 'GIT_FAILED';
      finish(
        new GitError(code, code === 'GIT_NOT_FOUND' ? 'the git binary was not found' : error.message, {
          cause: error,
        }),
      );
    });
    child.on('close', (exitCode) => {
      if ((options.successExitCodes ?? [0]).includes(exitCode ?? -1))
        finish(undefined, Buffer.concat(chunks));
      else finish(new GitError('GIT_FAILED', `git ${args.join(' ')} exited ${exitCode}: ${stderr.trim()}`));
    });
    child.stdin.on('error', () => {
      // git may exit before reading all input; the exit code tells what happened.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns stdout as trimmed UTF-8 text. */
export async function runGitText(
  cwd: string,
  args: readonly string[],
  options?: GitOptions,
): Promise<string> {
  return (await runGit(cwd, args, options)).toString('utf8').trim();
}

/** A tree entry of a commit, as `git ls-tree -l` lists it. */
export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
}

/** The entries of these paths in a commit's tree, in one `git ls-tree`; absent paths are left out. */
export async function listPathsAtRevision(
  cwd: string,
  revision: string,
  paths: readonly string[],
): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>();
  if (paths.length === 0) return entries;
  const listing = await runGit(cwd, ['ls-tree', '-z', '-l', '--full-tree', revision, '--', ...paths], {
    maxOutputBytes: 1024 * 1024,
  });
  for (const line of listing.toString('utf8').split('\0')) {
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const [mode = '', type = '', oid = '', size = ''] = line.slice(0, tab).split(/\s+/);
    entries.set(line.slice(tab + 1), { mode, type, oid, size: Number(size) });
  }
  return entries;
}

/**
 * The content of a regular file in a commit's tree (`revision:path`), read with git, never from the
 * work tree: undefined when the commit has no such file. A symbolic link, a submodule or a folder
 * at that path, or a file above `maxBytes`, is an error (never followed, never cut). `entry` saves
 * the listing when the caller already has it.
 */
export async function readFileAtRevision(
  cwd: string,
  revision: string,
  path: string,
  maxBytes: number,
  entry?: TreeEntry,
): Promise<Buffer | undefined> {
  const found = entry ?? (await listPathsAtRevision(cwd, revision, [path])).get(path);
  if (found === undefined) return undefined;
  if (found.type !== 'blob' || (found.mode !== '100644' && found.mode !== '100755')) {
    throw new GitError('GIT_FAILED', `${revision}:${path} is not a regular file (mode ${found.mode})`);
  }
  if (found.size > maxBytes) {
    throw new GitError('GIT_OUTPUT_TOO_LARGE', `${revision}:${path} is larger than ${maxBytes} bytes`);
  }
  return runGit(cwd, ['cat-file', 'blob', found.oid], { maxOutputBytes: maxBytes });
}
