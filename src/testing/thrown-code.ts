import type { ShipguardError } from '../kernel/index.js';

/** An area's error class, such as LedgerError. */
type ErrorClass = abstract new (...args: never[]) => ShipguardError;

/**
 * The code of the `errorClass` error that `run` throws, or undefined when it returns. Any other
 * error is thrown on, so a test that expects a code fails on an unexpected error.
 */
export function thrownCode(errorClass: ErrorClass, run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof errorClass) return error.code;
    throw error;
  }
}

/** {@link thrownCode} for work that may be asynchronous: awaits what `run` returns. */
export async function rejectedCode(errorClass: ErrorClass, run: () => unknown): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (error instanceof errorClass) return error.code;
    throw error;
  }
}
