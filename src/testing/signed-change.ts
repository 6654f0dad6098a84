import type { KeyObject } from 'node:crypto';
import {
  approveChange,
  type ChangeRecord,
  type ChangeSigner,
  changeStatement,
  createChange,
  implementChange,
  type NewChange,
  proveStatement,
  recordSignedTransition,
} from '../changes/index.js';
import type { PrincipalRegistry } from '../identity/index.js';
import type { ChangeSettings } from '../policy/index.js';
import type { Store } from '../store/index.js';

/**
 * A normal change created by one registered key and approved by another, each statement signed
 * as `shipguard change` signs it, so the gate can verify the approval from the ledger once a
 * checkpoint covers it. `now` must be the real time: the ledger checks statement and entry agree.
 */
export async function recordApprovedChange(
  store: Store,
  change: Omit<NewChange, 'class'>,
  keys: { author: KeyObject; approver: KeyObject; registry: PrincipalRegistry },
  settings: ChangeSettings,
  now: Date = new Date(),
): Promise<void> {
  const signer = (privateKey: KeyObject): ChangeSigner => ({
    kind: 'key',
    privateKey,
    registry: keys.registry,
  });
  const created = createChange({ ...change, class: 'normal' }, settings, now);
  await recordSignedTransition(store, created, 'created', signer(keys.author), now);
  const proof = await proveStatement(changeStatement(created, 'approved', now), signer(keys.approver));
  const approved = approveChange(created, proof.principal, settings, now);
  await recordSignedTransition(store, approved, 'approved', signer(keys.approver), now);
}

/**
 * A change created, approved by Bob and implemented by Erin, all at `at`: the record a change
 * carried out by the book leaves (unsigned; for collectors that judge the records).
 */
export function implementedChange(change: NewChange, settings: ChangeSettings, at: Date): ChangeRecord {
  return implementChange(
    approveChange(createChange(change, settings, at), 'bob', settings, at),
    'erin',
    settings,
    at,
  );
}
