import { describeError } from '../../kernel/index.js';
import { verifyLedger } from '../../ledger/index.js';
import { noStoreAccess, type StoreAccess } from '../../store/index.js';
import type { StoreAbsence } from '../results.js';

export type LedgerFacts =
  | StoreAbsence
  | {
      status: 'present';
      location: string;
      /** Entries recomputed from the log. */
      size: number;
      /** The recomputed Merkle root, hex. */
      root: string;
      /** Why the log does not verify; absent when it does. */
      problem?: { code: string; message: string };
    };

/**
 * Recomputes the command's store's ledger from its entries (`verifyLedger`: leaf hashes, the head,
 * every stored checkpoint). Never creates a store.
 */
export async function collectLedger(access: StoreAccess = noStoreAccess()): Promise<LedgerFacts> {
  const existing = await access.existing();
  if (!existing.store) return { status: 'no-store', location: access.description };
  try {
    const verification = await verifyLedger(existing.store);
    return {
      status: 'present',
      location: existing.store.location,
      size: verification.size,
      root: Buffer.from(verification.root).toString('hex'),
      ...(verification.problem
        ? {
            problem: { code: verification.problem.code, message: verification.problem.message.slice(0, 300) },
          }
        : {}),
    };
  } catch (error) {
    return { status: 'unreadable', location: access.description, problem: describeError(error) };
  }
}
