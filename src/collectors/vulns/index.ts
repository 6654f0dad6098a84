import type { Collector } from '../types.js';
import { vulnsDatabaseFresh, vulnsNoOverdue } from './checks.js';
import { collectVulns, type VulnsFacts } from './collect.js';

export const vulnsCollector: Collector<VulnsFacts> = {
  id: 'vulns',
  title: 'Known vulnerabilities in dependencies',
  collect: collectVulns,
  checks: [vulnsDatabaseFresh, vulnsNoOverdue],
};
