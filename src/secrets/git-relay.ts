import { Worker } from 'node:worker_threads';

/**
 * A git process whose output a worker thread drains as fast as git writes it. Read on the main
 * thread, a pipe holds 64 KB: while the main thread scans, git blocks on the full pipe, and while
 * git decompresses the next object, the main thread waits (measured on drizzle-orm's history: a
 * third of the scan's wall time idle). The worker keeps reading, so git and the scan overlap; what
 * it holds ahead is bounded by `maxAheadBytes` of output the main thread has not taken yet.
 */
export interface RelayedGit {
  write(text: string): void;
  end(): void;
  /** Stops git (SIGTERM); its exit still settles `exited`. */
  kill(): void;
  /** Output chunks, in order. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Stops delivering chunks until `resume`; git is paused once the worker holds too much. */
  pause(): void;
  resume(): void;
  isPaused(): boolean;
  exited: Promise<{ code: number | null; signal: string | null; stderr: string; error?: string }>;
}

// Plain JavaScript run with `eval`: the relay needs no module of ours, so it runs the same from
// the TypeScript sources (tests) and from the build.
const relaySource = `
const { parentPort, workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const child = spawn('git', workerData.args, { cwd: workerData.cwd, env: workerData.env, stdio: ['pipe', 'pipe', 'pipe'] });
child.stdin.on('error', () => {});
let stderr = '';
child.stderr.on('data', (chunk) => { if (stderr.length < 4096) stderr += chunk.toString('utf8'); });
let held = [];
let heldBytes = 0;
let outstanding = 0;
let scheduled = false;
const flush = () => {
  scheduled = false;
  if (heldBytes === 0) return;
  const joined = Buffer.concat(held, heldBytes);
  // Small buffers live in Node's shared pool, which cannot be transferred: copy those.
  const own = joined.byteOffset === 0 && joined.length === joined.buffer.byteLength ? joined : new Uint8Array(joined);
  outstanding += own.length;
  held = [];
  heldBytes = 0;
  parentPort.postMessage({ type: 'data', chunk: own.buffer }, [own.buffer]);
  if (outstanding > workerData.maxAheadBytes) child.stdout.pause();
};
child.stdout.on('data', (chunk) => {
  held.push(chunk);
  heldBytes += chunk.length;
  if (heldBytes >= 1048576) flush();
  else if (!scheduled) { scheduled = true; setImmediate(flush); }
});
child.on('error', (error) => parentPort.postMessage({ type: 'exit', code: null, signal: null, stderr, error: error.message }));
child.on('close', (code, signal) => { flush(); parentPort.postMessage({ type: 'exit', code, signal, stderr }); });
parentPort.on('message', (message) => {
  if (message.type === 'write') child.stdin.write(message.text);
  else if (message.type === 'end') child.stdin.end();
  else if (message.type === 'kill') { child.stdin.end(); child.kill('SIGTERM'); }
  else if (message.type === 'ack') {
    outstanding -= message.bytes;
    if (outstanding <= workerData.maxAheadBytes / 2 && child.stdout.isPaused()) child.stdout.resume();
  }
});
`;

type RelayMessage =
  | { type: 'data'; chunk: ArrayBuffer }
  | { type: 'exit'; code: number | null; signal: string | null; stderr: string; error?: string };

export function relayGit(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  maxAheadBytes = 8 * 1024 * 1024,
): RelayedGit {
  const worker = new Worker(relaySource, {
    eval: true,
    workerData: { cwd, args, env, maxAheadBytes },
    // The relay holds a few small objects; its chunks are transferred, not kept on its heap.
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
  });
  let listener: ((chunk: Buffer) => void) | undefined;
  let paused = false;
  const queued: Buffer[] = [];
  let exit: Extract<RelayMessage, { type: 'exit' }> | undefined;
  let settle: (outcome: Awaited<RelayedGit['exited']>) => void = () => {};
  const exited = new Promise<Awaited<RelayedGit['exited']>>((resolve) => {
    settle = resolve;
  });
  // Output still queued behind a pause is delivered before the exit is reported.
  const finishIfDrained = () => {
    if (exit === undefined || queued.length > 0) return;
    const { code, signal, stderr, error } = exit;
    void worker.terminate();
    settle(error === undefined ? { code, signal, stderr } : { code, signal, stderr, error });
  };
  // Acknowledged in batches: a message costs the main thread as much as scanning a small blob.
  let unacknowledged = 0;
  const deliver = () => {
    while (!paused && queued.length > 0) {
      const chunk = queued.shift() as Buffer;
      listener?.(chunk);
      unacknowledged += chunk.length;
      if (unacknowledged >= maxAheadBytes / 4) {
        worker.postMessage({ type: 'ack', bytes: unacknowledged });
        unacknowledged = 0;
      }
    }
    finishIfDrained();
  };
  worker.on('message', (message: RelayMessage) => {
    if (message.type === 'data') queued.push(Buffer.from(message.chunk));
    else exit = message;
    deliver();
  });
  worker.on('error', (error) => {
    exit = { type: 'exit', code: null, signal: null, stderr: '', error: error.message || String(error) };
    queued.length = 0;
    finishIfDrained();
  });
  return {
    write: (text) => worker.postMessage({ type: 'write', text }),
    end: () => worker.postMessage({ type: 'end' }),
    kill: () => worker.postMessage({ type: 'kill' }),
    onData(next) {
      listener = next;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      deliver();
    },
    isPaused: () => paused,
    exited,
  };
}
