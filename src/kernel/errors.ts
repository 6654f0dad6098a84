/** Where in a file something went wrong. Lines and columns are 1-based. */
export interface SourceLocation {
  path: string;
  line?: number;
  column?: number;
}

import { redactText } from './redaction.js';

/**
 * What a failure means to the person who ran shipguard, which decides the exit code:
 * - `usage`: the command was called wrongly (a missing or contradictory option, a missing file);
 * - `config`: a policy, key, trust root or other configuration the user gave is unusable;
 * - `rejected`: the input was judged and refused (a signature that does not verify, a signer the
 *   policy does not trust), as findings at or above `--fail-on` are;
 * - `internal`: anything else: a bug, a failing environment, a damaged store.
 */
export type ErrorKind = 'usage' | 'config' | 'rejected' | 'internal';

/** The exit code of each kind (DESIGN.md: 1 findings or rejected, 2 usage or configuration, 3 internal). */
export const exitCodeOfKind = {
  usage: 2,
  config: 2,
  rejected: 1,
  internal: 3,
} as const satisfies Readonly<Record<ErrorKind, number>>;

export type ErrorExitCode = (typeof exitCodeOfKind)[ErrorKind];

/**
 * Each area declares the kind of every code next to its code union, as a complete table, so the
 * compiler refuses a new code without a kind: `const kinds: ErrorKinds<MyCode> = { ... }`.
 * An area whose codes all have one kind says so once instead (`errorOfKind`).
 */
export type ErrorKinds<Code extends string> = Readonly<Record<Code, ErrorKind>>;

/**
 * The one error type of shipguard. Each area narrows `Code` to a closed union, so tests can
 * assert the code and callers can branch on it; `cause` keeps the original error. An area's
 * class extends `errorWithKinds(table)`, which reads `kind` from its table of kinds; the exit code
 * follows from the kind.
 * The message and the location pass the redaction boundary here, so an error that quotes a
 * repository line (a parse error, a warning) can never carry a credential out.
 */
export class ShipguardError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly location: SourceLocation | undefined;

  /** Internal unless the area's table says otherwise. */
  get kind(): ErrorKind {
    return 'internal';
  }

  /** The exit code a command ends with when this error stops it. */
  get exitCode(): ErrorExitCode {
    return exitCodeOfKind[this.kind];
  }

  constructor(code: Code, message: string, options: { cause?: unknown; location?: SourceLocation } = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.location =
      options.location === undefined
        ? undefined
        : { ...options.location, path: redactText(options.location.path) };
  }
}

/**
 * The base class of an area's errors, with `kindOf` deciding each code's kind. The class is
 * generic so an area can narrow its codes further (`ProvenanceError<VerificationErrorCode>`).
 */
function areaError<AreaCode extends string>(kindOf: (code: AreaCode) => ErrorKind) {
  return class AreaError<Code extends AreaCode = AreaCode> extends ShipguardError<Code> {
    override get kind(): ErrorKind {
      return kindOf(this.code);
    }
  };
}

/**
 * The base class of an area's errors: each code's kind is its entry in the area's complete table,
 * `export class LedgerError extends errorWithKinds(ledgerErrorKinds) {}`.
 */
export function errorWithKinds<AreaCode extends string>(kinds: ErrorKinds<AreaCode>) {
  return areaError<AreaCode>((code) => kinds[code]);
}

/**
 * The base class of an area whose codes all have one kind, `class GitError extends
 * errorOfKind<GitErrorCode>('internal') {}`; a code of another kind calls for a table.
 */
export function errorOfKind<AreaCode extends string>(kind: ErrorKind) {
  return areaError<AreaCode>(() => kind);
}

/** Renders "path:line:column" for whatever part of the location is known. */
export function formatLocation(location: SourceLocation): string {
  let text = location.path;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** The exit code for any thrown value: the kind's for a ShipguardError, internal (3) otherwise. */
export function exitCodeOf(error: unknown): ErrorExitCode {
  return error instanceof ShipguardError ? error.exitCode : exitCodeOfKind.internal;
}

/** A short, user-facing description of any thrown value: message and location, never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof ShipguardError) {
    const where = error.location ? `${formatLocation(error.location)}: ` : '';
    return `${where}${error.message} [${error.code}]`;
  }
  if (error instanceof Error) return redactText(error.message);
  return redactText(String(error));
}
