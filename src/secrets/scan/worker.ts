import { parentPort, workerData } from 'node:worker_threads';
import type { RuleSetSpec } from '../rules/types.js';
import { compileRuleSet } from './compile-rules.js';
import type { WorkerRequest, WorkerResponse } from './pool.js';
import { scanBuffer, scanTextBuffer } from './scan-buffer.js';

// A scan worker: compiles the rules once, then scans the batches of buffers it is sent.
const ruleSet = compileRuleSet(workerData as RuleSetSpec);
parentPort?.on('message', (request: WorkerRequest) => {
  const response: WorkerResponse = [];
  for (const item of request.items) {
    try {
      const content = new Uint8Array(request.buffer, item.start, item.end - item.start);
      const result = item.text ? scanTextBuffer(content, ruleSet) : scanBuffer(content, ruleSet);
      response.push({ id: item.id, result });
    } catch (error) {
      response.push({ id: item.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  parentPort?.postMessage(response);
});
