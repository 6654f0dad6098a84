import type { ChangeRecord } from '../../changes/index.js';
import { listChanges, listUnreviewedEmergencies } from '../../changes/index.js';
import { describeError } from '../../kernel/index.js';
import { noStoreAccess, type StoreAccess } from '../../store/index.js';

export type ChangeFacts =
  | { status: 'no-store'; location: string }
  | { status: 'unreadable'; location: string; problem: string }
  | {
      status: 'present';
      location: string;
      unreviewedEmergencies: ChangeRecord[];
      /** Every change record, newest first (at most `maxChanges`). */
      changes: ChangeRecord[];
    };

const maxChanges = 10_000;

/**
 * Reads the change records, and emergency changes implemented and not yet reviewed, from the command's store (the one
 * `--db`, SHIPGUARD_DB or the default location names). Never creates a store.
 */
export async function collectChanges(access: StoreAccess = noStoreAccess()): Promise<ChangeFacts> {
  const existing = await access.existing();
  if (!existing.store) return { status: 'no-store', location: access.description };
  try {
    return {
      status: 'present',
      location: existing.store.location,
      unreviewedEmergencies: await listUnreviewedEmergencies(existing.store),
      changes: await listChanges(existing.store, { limit: maxChanges }),
    };
  } catch (error) {
    return { status: 'unreadable', location: access.description, problem: describeError(error) };
  }
}
