import { parentPort, workerData } from 'node:worker_threads';
import type { RuleSetSpec } from '../rules/types.js';
import { compileRuleSet } from './compile-rules.js';
import type { WorkerRequest, WorkerResponse } from './pool.js';
import { scanBuffer } from './scan-buffer.js';

// A scan worker: compiles the rules once, then scans the buffers it is sent.
const ruleSet = compileRuleSet(workerData as RuleSetSpec);
parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: request.id, result: scanBuffer(new Uint8Array(request.buffer), ruleSet) };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(response);
});
