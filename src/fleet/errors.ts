import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type FleetErrorCode =
  /** `fleet remove` or a job names a repository the fleet does not hold. */
  | 'FLEET_UNKNOWN_REPOSITORY'
  /** An option of a fleet command or of a worker is out of range. */
  | 'FLEET_INVALID_OPTION'
  /** Cloning or updating a repository's mirror failed (the job is retried, then dead-lettered). */
  | 'FLEET_FETCH_FAILED'
  /** The queue (pg-boss on PostgreSQL) could not be started or used. */
  | 'FLEET_QUEUE_FAILED'
  /** A webhook URL or secret that shipguard refuses to use (not https, credentials in the URL, short secret). */
  | 'FLEET_WEBHOOK_INVALID'
  /** A webhook was not delivered after its retries. */
  | 'FLEET_WEBHOOK_FAILED';

const fleetErrorKinds: ErrorKinds<FleetErrorCode> = {
  FLEET_UNKNOWN_REPOSITORY: 'usage',
  FLEET_INVALID_OPTION: 'usage',
  FLEET_FETCH_FAILED: 'internal',
  FLEET_QUEUE_FAILED: 'internal',
  FLEET_WEBHOOK_INVALID: 'usage',
  FLEET_WEBHOOK_FAILED: 'internal',
};

export class FleetError extends errorWithKinds(fleetErrorKinds) {}
