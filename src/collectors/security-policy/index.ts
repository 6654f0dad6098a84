import type { Collector } from '../types.js';
import { securityPolicyContact, securityPolicyPresent } from './checks.js';
import { collectSecurityPolicy, type SecurityPolicyFacts } from './collect.js';

export const securityPolicyCollector: Collector<SecurityPolicyFacts> = {
  id: 'security-policy',
  title: 'Security policy and vulnerability disclosure',
  collect: collectSecurityPolicy,
  checks: [securityPolicyPresent, securityPolicyContact],
};
