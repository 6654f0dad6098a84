import { securityPolicyCollector } from './security-policy/index.js';
import type { AnyCollector } from './types.js';

/**
 * Every collector, by id. One explicit map: a test proves each folder under src/collectors/ is
 * registered here, and that every check id is unique.
 */
export const collectors: Readonly<Record<string, AnyCollector>> = {
  'security-policy': securityPolicyCollector,
};
