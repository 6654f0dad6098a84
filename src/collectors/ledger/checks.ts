import { failed, findingOf, passed, storeUnknown, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { LedgerFacts } from './collect.js';

export const ledgerConsistent: Check<LedgerFacts> = {
  id: 'ledger/consistent',
  title: "shipguard's ledger verifies: every entry in place, the head and checkpoints match",
  severity: 'high',
  remediation:
    'Find out who changed the store outside shipguard (its entries can only be appended by shipguard); restore it from a backup whose ledger verifies (`shipguard ledger verify`), and compare with the checkpoints kept outside the store.',
  evaluate(facts) {
    if (facts.status !== 'present') return storeUnknown(this.id, facts, 'ledger entries');
    if (facts.problem) {
      return failed(
        this.id,
        `the ledger in ${facts.location} does not verify after ${facts.size} entries: ${facts.problem.message}`,
        [
          {
            kind: 'record',
            source: facts.location,
            note: `${facts.problem.code} at entry ${facts.size}`,
            level: 'verified',
          },
        ],
        [
          findingOf(this, `The ledger does not verify (${facts.problem.code}): ${facts.problem.message}.`, {
            key: facts.problem.code,
          }),
        ],
      );
    }
    if (facts.size === 0) {
      return unknown(
        this.id,
        `the ledger in ${facts.location} holds no entry: nothing was recorded to verify`,
        'Record assessments, gate decisions and changes with shipguard against this store (`shipguard assess` saves by default) and assess again.',
      );
    }
    return passed(
      this.id,
      `the ledger in ${facts.location} verifies: ${facts.size} entries, root ${facts.root.slice(0, 16)}…`,
      [
        {
          kind: 'record',
          source: facts.location,
          note: `${facts.size} entries recomputed from the log; root ${facts.root}`,
          level: 'verified',
        },
      ],
    );
  },
};
