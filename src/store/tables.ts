/**
 * The row types of the store's tables, as Kysely sees them. Columns are snake_case in both
 * dialects; timestamps are ISO-8601 text in UTC (`2026-06-01T12:00:00.000Z`) so they sort as
 * text; JSON documents are text so SQLite and PostgreSQL store the same bytes.
 *
 * Modules that add tables (the ledger) declare their own row types and use `viewTables<…>(db)`.
 */
import type { LatestAssessmentsTable } from './latest.js';

export type { LatestAssessmentsTable };

/** The five status counts of an assessment, one column each (snake_case: `not_applicable`). */
export interface StatusCountColumns {
  fail: number;
  partial: number;
  unknown: number;
  pass: number;
  not_applicable: number;
}

export interface AssessmentsTable extends StatusCountColumns {
  id: string;
  /** Absolute path of the repository root the assessment was made of. */
  repository: string;
  commit: string | null;
  branch: string | null;
  started_at: string;
  finished_at: string;
  catalog_version: string;
  tool_version: string;
  /** The whole Assessment as JSON. */
  document: string;
}

export interface ControlResultsTable {
  assessment_id: string;
  control_id: string;
  area: string;
  status: string;
  severity: string;
}

/** A local path history was keyed by, mapped to the repository's key (migration 009). */
export interface RepositoryAliasesTable {
  alias: string;
  repository: string;
  recorded_at: string;
}

/** The status counts of every assessment started on a UTC day, summed (migration 019). */
export interface AssessmentDaysTable extends StatusCountColumns {
  /** `YYYY-MM-DD`, the first ten characters of `started_at`. */
  day: string;
  assessments: number;
}

export interface StoreTables {
  assessments: AssessmentsTable;
  control_results: ControlResultsTable;
  repository_aliases: RepositoryAliasesTable;
  latest_assessments: LatestAssessmentsTable;
  assessment_days: AssessmentDaysTable;
}
