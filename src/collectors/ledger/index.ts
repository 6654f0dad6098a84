import type { Collector } from '../types.js';
import { ledgerConsistent } from './checks.js';
import { collectLedger, type LedgerFacts } from './collect.js';

export const ledgerCollector: Collector<LedgerFacts> = {
  id: 'ledger',
  title: "shipguard's own audit trail: the ledger in the store verifies",
  collect: (_repository, _policy, context) => collectLedger(context.store),
  checks: [ledgerConsistent],
};
