import { ShipguardError } from '../kernel/index.js';

export type PeopleErrorCode =
  /** A roster row or person document that does not match the schema. */
  | 'PERSON_INVALID'
  /** A person id that the roster does not have. */
  | 'PERSON_NOT_FOUND'
  /** `people add` for an id that exists, or two people sharing an e-mail or git identity. */
  | 'PERSON_CONFLICT'
  /** A roster file with bad rows: nothing was imported. */
  | 'ROSTER_INVALID';

export class PeopleError extends ShipguardError<PeopleErrorCode> {}
