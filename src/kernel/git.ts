import { spawn } from 'node:child_process';
import { gitEnvironment } from './child-environment.js';
import { ShipguardError } from './errors.js';

export type GitErrorCode = 'GIT_NOT_FOUND' | 'GIT_FAILED' | 'GIT_OUTPUT_TOO_LARGE' | 'GIT_TIMEOUT';

export class GitError extends ShipguardError<GitErrorCode> {}

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
