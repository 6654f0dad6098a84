import { describeError } from '../../kernel/index.js';
import { type Deployment, readDeployments } from '../../source-control/index.js';
import { noStoreAccess, type StoreAccess } from '../../store/index.js';
import type { StoreAbsence } from '../results.js';

export type ProvenanceFacts =
  | StoreAbsence
  | {
      status: 'present';
      location: string;
      /** Deployments `shipguard gate` allowed, newest first, with what its provenance rule said. */
      deployments: Deployment[];
      /** Decision rows that could not be read. */
      unreadable: number;
    };

/** Reads the gate's allowed decisions from the command's store. Never creates a store. */
export async function collectProvenance(access: StoreAccess = noStoreAccess()): Promise<ProvenanceFacts> {
  const existing = await access.existing();
  if (!existing.store) return { status: 'no-store', location: access.description };
  try {
    const { deployments, unreadable } = await readDeployments(existing.store);
    return { status: 'present', location: existing.store.location, deployments, unreadable };
  } catch (error) {
    return { status: 'unreadable', location: access.description, problem: describeError(error) };
  }
}
