/** Row types of the fleet's tables (migration 009-fleet). Timestamps are ISO-8601 UTC text. */
export interface FleetRepositoriesTable {
  /** The repository's identity key (its normalised remote URL, or its path when it has none). */
  key: string;
  /** Where a worker fetches it from, without credentials; a local folder for a path key. */
  url: string;
  subfolder: string | null;
  source: 'remote' | 'path';
  added_at: string;
  /** When the scheduler may queue it next. */
  due_at: string;
  last_attempted_at: string | null;
  last_finished_at: string | null;
  /** `done`, `failed` (retries exhausted, dead-lettered) or null before the first run. */
  last_status: string | null;
  last_error: string | null;
  last_run_id: string | null;
  /** The run queued or running now, null when none is. */
  queued_run_id: string | null;
  /** `schedule`, `push` or `upload`: only `schedule` counts against the in-flight limit. */
  queued_trigger: string | null;
}

export interface FleetRunsTable {
  /** The job's run id: unique, so a retried job cannot record its result twice. */
  run_id: string;
  repository: string;
  assessment_id: string;
  ledger_index: number;
  worker: string;
  trigger: string;
  finished_at: string;
}

export interface FleetTables {
  fleet_repositories: FleetRepositoriesTable;
  fleet_runs: FleetRunsTable;
}
