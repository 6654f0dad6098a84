import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { createAssessFolder, type JobContext } from '../fleet/index.js';
import type { Store } from '../store/index.js';
import { UsageError } from './errors.js';

/** The cache folder mirrors are kept in: --cache, else $XDG_CACHE_HOME/shipguard/fleet, else ~/.cache/…. */
export function fleetCacheFolder(cache: string | undefined): string {
  if (cache !== undefined && cache !== '') return cache;
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'shipguard', 'fleet');
}

export function fleetJobContext(
  store: Store,
  options: { cache?: string; intervalHours?: string },
): JobContext {
  const context: JobContext = {
    store,
    cacheFolder: fleetCacheFolder(options.cache),
    worker: `${hostname()}:${process.pid}`,
    assessFolder: createAssessFolder(store, { environment: process.env }),
  };
  if (options.intervalHours !== undefined)
    context.intervalSeconds = parseNumber(options.intervalHours, '--interval-hours', 0.01, 24 * 365) * 3600;
  return context;
}

/** A number option within bounds, else a usage error naming the option. */
export function parseNumber(text: string, option: string, min: number, max: number, integer = false): number {
  const value = /^\d{1,9}(\.\d{1,6})?$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `${option} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${text}"`,
    );
  }
  return value;
}
