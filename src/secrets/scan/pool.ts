import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SecretsError } from '../errors.js';
import type { RuleSetSpec } from '../rules/types.js';
import { type CompiledRuleSet, compileRuleSet } from './compile-rules.js';
import { type BufferScan, scanBuffer, scanTextBuffer } from './scan-buffer.js';

/** Many scans in one message: every content is a range of one transferred buffer. */
export interface WorkerRequest {
  buffer: ArrayBuffer;
  items: Array<{
    id: number;
    start: number;
    end: number;
    /** Known to be text (whole lines cut from a text blob): no binary test. */
    text: boolean;
  }>;
}

export type WorkerResponse = Array<{ id: number; result: BufferScan } | { id: number; error: string }>;

/** A batch is sent when it holds this many bytes or items, or else once the current task ends. */
const batchBytes = 1024 * 1024;
const batchItems = 256;

/** Scans buffers, in this thread or in worker threads; the caller does not need to know which. */
export interface ScanPool {
  readonly threads: number;
  /** `text`: the content is known to be text (whole lines cut from a text blob); skip the binary test. */
  scan(content: Uint8Array, options?: { text?: boolean }): Promise<BufferScan>;
  /** Scans waiting for a worker: callers pause their input above a limit. */
  readonly pending: number;
  close(): Promise<void>;
}

export function defaultThreadCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** A pool of `threads` workers; 0 or 1 scans in the calling thread. */
export function createScanPool(spec: RuleSetSpec, threads: number): ScanPool {
  const compiled = compileRuleSet(spec);
  if (threads <= 1) return createInlinePool(compiled);
  return createWorkerPool(spec, threads);
}

function createInlinePool(ruleSet: CompiledRuleSet): ScanPool {
  return {
    threads: 1,
    pending: 0,
    scan: async (content, options) =>
      options?.text ? scanTextBuffer(content, ruleSet) : scanBuffer(content, ruleSet),
    close: async () => {},
  };
}

/**
 * Compiled JavaScript loads worker.js directly. Run from TypeScript sources (tests), the worker
 * gets a resolve hook that maps `./x.js` imports to `./x.ts`, which Node's type stripping runs.
 */
function startWorker(spec: RuleSetSpec): Worker {
  const url = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (url.pathname.endsWith('.js')) return new Worker(url, { workerData: spec });
  const bootstrap = `
    const { registerHooks } = await import('node:module');
    registerHooks({
      resolve(specifier, context, next) {
        try { return next(specifier, context); }
        catch (error) {
          if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
          throw error;
        }
      },
    });
    await import(${JSON.stringify(url.href)});`;
  return new Worker(bootstrap, { eval: true, workerData: spec, type: 'module' } as ConstructorParameters<
    typeof Worker
  >[1]);
}

interface QueuedScan {
  id: number;
  content: Uint8Array;
  text: boolean;
}

function createWorkerPool(spec: RuleSetSpec, threads: number): ScanPool {
  const workers = Array.from({ length: threads }, () => startWorker(spec));
  const load = new Map<Worker, number>(workers.map((worker) => [worker, 0]));
  const waiting = new Map<number, { resolve: (scan: BufferScan) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let queue: QueuedScan[] = [];
  let queuedBytes = 0;
  let flushScheduled = false;

  // One message per batch: posting a message costs far more than scanning a small blob.
  const flush = () => {
    flushScheduled = false;
    if (queue.length === 0) return;
    let chosen = workers[0] as Worker;
    for (const worker of workers) if ((load.get(worker) ?? 0) < (load.get(chosen) ?? 0)) chosen = worker;
    load.set(chosen, (load.get(chosen) ?? 0) + queue.length);
    // Copied into one buffer of its own so it can be transferred, not cloned.
    const buffer = new ArrayBuffer(queuedBytes);
    const bytes = new Uint8Array(buffer);
    const items: WorkerRequest['items'] = [];
    let offset = 0;
    for (const scan of queue) {
      bytes.set(scan.content, offset);
      items.push({ id: scan.id, start: offset, end: offset + scan.content.length, text: scan.text });
      offset += scan.content.length;
    }
    queue = [];
    queuedBytes = 0;
    const request: WorkerRequest = { buffer, items };
    chosen.postMessage(request, [buffer]);
  };

  for (const worker of workers) {
    worker.on('message', (response: WorkerResponse) => {
      load.set(worker, (load.get(worker) ?? response.length) - response.length);
      for (const item of response) {
        const entry = waiting.get(item.id);
        waiting.delete(item.id);
        if (!entry) continue;
        if ('error' in item) entry.reject(new SecretsError('SECRETS_WORKER_FAILED', item.error));
        else entry.resolve(item.result);
      }
    });
    worker.on('error', (error) => {
      failure = new SecretsError('SECRETS_WORKER_FAILED', `scan worker failed: ${error.message}`, {
        cause: error,
      });
      for (const entry of waiting.values()) entry.reject(failure);
      waiting.clear();
    });
  }
  return {
    threads,
    get pending() {
      return waiting.size;
    },
    scan(content, options) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const promise = new Promise<BufferScan>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
      });
      queue.push({ id, content, text: options?.text === true });
      queuedBytes += content.length;
      if (queuedBytes >= batchBytes || queue.length >= batchItems) flush();
      else if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
      return promise;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
