import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SecretsError } from '../errors.js';
import type { RuleSetSpec } from '../rules/types.js';
import { type CompiledRuleSet, compileRuleSet } from './compile-rules.js';
import { type BufferScan, scanBuffer } from './scan-buffer.js';

export interface WorkerRequest {
  id: number;
  buffer: ArrayBuffer;
}

export type WorkerResponse = { id: number; result: BufferScan } | { id: number; error: string };

/** Scans buffers, in this thread or in worker threads; the caller does not need to know which. */
export interface ScanPool {
  readonly threads: number;
  scan(content: Uint8Array): Promise<BufferScan>;
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
    scan: async (content) => scanBuffer(content, ruleSet),
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

function createWorkerPool(spec: RuleSetSpec, threads: number): ScanPool {
  const workers = Array.from({ length: threads }, () => startWorker(spec));
  const load = new Map<Worker, number>(workers.map((worker) => [worker, 0]));
  const waiting = new Map<number, { resolve: (scan: BufferScan) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  for (const worker of workers) {
    worker.on('message', (response: WorkerResponse) => {
      load.set(worker, (load.get(worker) ?? 1) - 1);
      const entry = waiting.get(response.id);
      waiting.delete(response.id);
      if (!entry) return;
      if ('error' in response) entry.reject(new SecretsError('SECRETS_WORKER_FAILED', response.error));
      else entry.resolve(response.result);
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
    scan(content) {
      if (failure) return Promise.reject(failure);
      let chosen = workers[0] as Worker;
      for (const worker of workers) if ((load.get(worker) ?? 0) < (load.get(chosen) ?? 0)) chosen = worker;
      load.set(chosen, (load.get(chosen) ?? 0) + 1);
      const id = nextId++;
      // Copy into a buffer of its own so it can be transferred, not cloned.
      const copy = new Uint8Array(content.length);
      copy.set(content);
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: WorkerRequest = { id, buffer: copy.buffer };
        chosen.postMessage(request, [copy.buffer]);
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
