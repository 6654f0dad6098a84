import { ShipguardError } from '../kernel/index.js';

export type RecordErrorCode =
  /** A record document or data that does not match its kind's schema. */
  | 'RECORD_INVALID'
  /** A kind shipguard does not know. */
  | 'RECORD_KIND_UNKNOWN'
  /** A record id already taken by a different record. */
  | 'RECORD_CONFLICT'
  /** A record that breaks a rule across records (a closed remediation item reopened). */
  | 'RECORD_RULE_BROKEN'
  /** The record's signature does not verify, or its signer is not registered. */
  | 'RECORD_SIGNATURE_INVALID'
  /** An evidence file larger than the limit, unreadable, or whose bytes do not match its hash. */
  | 'EVIDENCE_INVALID'
  /** A CSV import with bad rows: nothing was imported. */
  | 'IMPORT_INVALID'
  /** Stored rows that do not match the ledger (edited, added or removed outside shipguard). */
  | 'RECORDS_TAMPERED'
  /** A record bundle (export file or records/ folder) that cannot be read. */
  | 'BUNDLE_INVALID';

export class RecordError extends ShipguardError<RecordErrorCode> {}
