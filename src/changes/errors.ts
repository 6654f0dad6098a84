import { ShipguardError } from '../kernel/index.js';

export type ChangeErrorCode =
  | 'CHANGE_NOT_FOUND'
  | 'CHANGE_INVALID'
  /** A transition not allowed from the change's current status. */
  | 'CHANGE_INVALID_TRANSITION'
  /** An approval that separation of duties forbids (the author, or an author of the commits). */
  | 'CHANGE_SEPARATION_OF_DUTIES';

export class ChangeError extends ShipguardError<ChangeErrorCode> {}
