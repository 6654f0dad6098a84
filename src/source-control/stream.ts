import { spawn } from 'node:child_process';
import { gitEnvironment } from '../kernel/index.js';
import { SourceControlError } from './errors.js';

/** Runs git and hands each NUL-terminated token of stdout to `onToken`, streaming (bounded memory). */
export function streamGitTokens(
  cwd: string,
  args: readonly string[],
  onToken: (token: Buffer) => void,
): Promise<void> {
  const child = spawn('git', ['-c', 'core.quotepath=off', '--no-pager', ...args], {
    cwd,
    env: gitEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString('utf8');
  });
  let rest: Buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(0, start); end !== -1; end = data.indexOf(0, start)) {
      onToken(data.subarray(start, end));
      start = end + 1;
    }
    if (data.length - start > 1024 * 1024) {
      child.kill('SIGKILL');
      return;
    }
    rest = Buffer.from(data.subarray(start));
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) =>
      reject(
        new SourceControlError('SOURCE_CONTROL_HISTORY_UNREADABLE', `git could not run: ${error.message}`),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) {
        if (rest.length > 0) onToken(rest);
        resolve();
      } else {
        reject(
          new SourceControlError(
            'SOURCE_CONTROL_HISTORY_UNREADABLE',
            `git ${args[0] ?? ''} exited ${code}: ${stderr.trim().split('\n')[0]?.slice(0, 300) ?? ''}`,
          ),
        );
      }
    });
  });
}
