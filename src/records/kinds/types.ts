import type { z } from 'zod';
import type { RecordType } from '../../catalog/index.js';
import type { Role } from '../../people/index.js';

/**
 * One kind of record the policy asks for: its data schema and the rules around who signs it.
 * Each kind is one file in this folder, registered in `index.ts`.
 */
export interface RecordKind<Data = unknown> {
  kind: string;
  title: string;
  /** The record type of the catalog this kind evidences (controls name it in `assessment.record`). */
  catalogType: RecordType;
  data: z.ZodType<Data>;
  /** What the record is about (a person id, a supplier, a service): records of one subject supersede each other. */
  subject(data: Data): string;
  /** The signer must hold one of these roles on the roster. */
  signerRoles?: readonly Role[];
  /** The signer must be someone other than the performer (a reviewer, an approver). */
  signerDistinct?: boolean;
  /** Renewal period when the catalog names none for the controls this kind serves. */
  defaultCadenceDays?: number;
  /** CSV import: record field → the default column name (overridable with --map). */
  csvColumns?: Readonly<Record<string, string>>;
  /** Turns one CSV row's mapped values into the record's data (before the schema checks it). */
  fromCsv?(values: Readonly<Record<string, string>>): unknown;
}

/** Defines a kind with its data type inferred from the schema. */
export function defineKind<Schema extends z.ZodType>(
  kind: RecordKind<z.infer<Schema>> & { data: Schema },
): RecordKind<z.infer<Schema>> {
  return kind;
}
