import { errorOfKind } from '../kernel/index.js';

export type ChangeErrorCode =
  | 'CHANGE_NOT_FOUND'
  | 'CHANGE_INVALID'
  /** A transition not allowed from the change's current status. */
  | 'CHANGE_INVALID_TRANSITION'
  /** An approval that separation of duties forbids (the author, or an author of the commits). */
  | 'CHANGE_SEPARATION_OF_DUTIES';

/** A refused step (separation of duties, a wrong transition) is an answer, not a crash: exit 1. */
export class ChangeError extends errorOfKind<ChangeErrorCode>('rejected') {}
