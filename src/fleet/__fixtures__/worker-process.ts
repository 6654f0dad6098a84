import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const register = fileURLToPath(new URL('../../testing/ts-register.mjs', import.meta.url));
const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** What it wrote to stderr so far. */
  readonly log: string;
  /** Resolves when stderr has printed a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code or signal once it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `shipguard worker` as a real process running the TypeScript sources (so a test can kill -9 it),
 * with the short heartbeat, monitor and retry settings tests need.
 */
export function startWorkerProcess(args: readonly string[], env: NodeJS.ProcessEnv = process.env): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--experimental-transform-types', '--no-warnings', '--import', register, main, 'worker', ...args],
    { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    log += chunk;
    for (const waiter of waiters.splice(0)) {
      if (waiter.pattern.test(log)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    get log() {
      return log;
    },
    waitFor(pattern, timeoutMs = 60_000) {
      if (pattern.test(log)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the worker never printed ${pattern}; it printed:\n${log}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    exited,
  };
}

/** Worker options for tests: the smallest heartbeat pg-boss allows, and fast monitoring and polling. */
export const fastWorkerOptions = [
  '--heartbeat-seconds',
  '10',
  '--monitor-seconds',
  '1',
  '--retry-delay-seconds',
  '1',
  '--polling-seconds',
  '0.5',
  '--tick-seconds',
  '0',
] as const;
