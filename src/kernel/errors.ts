/** Where in a file something went wrong. Lines and columns are 1-based. */
export interface SourceLocation {
  path: string;
  line?: number;
  column?: number;
}

import { redactText } from './redaction.js';

/**
 * The one error type of shipguard. Each area narrows `Code` to a closed union, so tests can
 * assert the code and callers can branch on it; `cause` keeps the original error. The message
 * and the location pass the redaction boundary here, so an error that quotes a repository line
 * (a parse error, a warning) can never carry a credential out.
 */
export class ShipguardError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly location: SourceLocation | undefined;

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

/** Renders "path:line:column" for whatever part of the location is known. */
export function formatLocation(location: SourceLocation): string {
  let text = location.path;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
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
