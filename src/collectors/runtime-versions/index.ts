import type { Collector } from '../types.js';
import { runtimeVersionsDeclared, runtimeVersionsSupported } from './checks.js';
import { collectRuntimeVersions, type RuntimeVersionsFacts } from './collect.js';

export const runtimeVersionsCollector: Collector<RuntimeVersionsFacts> = {
  id: 'runtime-versions',
  title: 'Runtime and base image versions',
  collect: collectRuntimeVersions,
  checks: [runtimeVersionsDeclared, runtimeVersionsSupported],
};
