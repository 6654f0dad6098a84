/** A ledger as the pack reads it: assessments with their ledger entries, checkpoints and their key. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Assessment } from '../../kernel/index.js';
import { appendToLedger, assessmentCompletedEvent, type NoteVerifier } from '../../ledger/index.js';
import type { Store } from '../../store/index.js';

/** A fresh Ed25519 key that signs checkpoints named `name`, with the verifier that checks them. */
export function checkpointKey(name: string): { privateKey: KeyObject; verifier: NoteVerifier } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, verifier: { name, publicKey } };
}

/** Stores `assessment` and appends its `assessment.completed` entry, as `shipguard assess` does. */
export async function saveLedgeredAssessment(store: Store, assessment: Assessment, repository: string): Promise<void> {
  await store.saveAssessment(assessment, { repository });
  await appendToLedger(store, assessmentCompletedEvent(assessment, repository));
}
