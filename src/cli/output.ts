import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorWithKinds, escapeLinesForTerminal, redactText } from '../kernel/index.js';

/**
 * The only way the command line writes: every text passes the redaction boundary on its way to
 * stdout, stderr or `--out`, and diagnostics are escaped for the terminal as well. A test holds
 * that nothing under src/ writes to process.stdout or process.stderr except this file.
 */

export type OutputErrorCode = 'OUTPUT_WRITE_FAILED';

/** Writing the result failed (a full disk, a missing folder): an environment failure, exit 3. */
export class OutputError extends errorWithKinds<OutputErrorCode>({ OUTPUT_WRITE_FAILED: 'internal' }) {}

export interface OutputOptions {
  out?: string;
}

/** Writes a command's rendered result to `--out FILE`, or to stdout. */
export async function writeOutput(text: string, options: OutputOptions): Promise<void> {
  const content = redactText(text.endsWith('\n') ? text : `${text}\n`);
  if (options.out) {
    await writeFileAtomically(options.out, content);
    return;
  }
  await writeStdout(content);
}

/**
 * Writes a whole file or nothing: the text goes to a temporary file beside the target, which is
 * renamed over it only once every byte is on disk. A full disk leaves no truncated file and the
 * error names the path.
 */
export async function writeFileAtomically(
  path: string,
  content: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written through: renaming
    // over it would replace the device with a file.
    const existing = await stat(path).catch(() => undefined);
    if (existing && !existing.isFile() && !existing.isDirectory()) {
      await writeFile(path, content);
      return;
    }
    await writeFile(temporary, content, { mode, flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new OutputError('OUTPUT_WRITE_FAILED', `could not write ${path} (${reason}); nothing was written`, {
      cause: error,
    });
  }
}

/** Writes text to stdout, redacted. */
export function writeStdout(text: string): Promise<void> {
  return writeTo(process.stdout, redactText(text));
}

/** Writes text to stdout, redacted, without waiting for it to drain. */
export function printStdout(text: string): void {
  process.stdout.write(redactText(text));
}

/**
 * Writes a secret the user asked for, once and unredacted: the API token `tokens create` makes
 * (the store keeps only its hash, so this is the only copy). Nothing else may bypass redaction.
 */
export function printSecretOnce(secret: string): void {
  process.stdout.write(`${secret}\n`);
}

/** Writes a message line to stderr: redacted and escaped, so it can neither leak nor forge a line. */
export function writeDiagnostic(message: string): void {
  const body = escapeLinesForTerminal(redactText(message.endsWith('\n') ? message.slice(0, -1) : message));
  process.stderr.write(`${body}\n`);
}

/** Writes raw terminal control text (progress) to stderr; callers escape what they put in it. */
export function writeTerminalControl(text: string): void {
  process.stderr.write(redactText(text));
}

function writeTo(stream: NodeJS.WriteStream, content: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.write(content, (error) => (error ? reject(error) : resolve()));
  });
}

/** Colour only on a terminal, and never when NO_COLOR is set or --no-color was given. */
export function useColor(
  requested: boolean | undefined,
  stream: NodeJS.WriteStream = process.stdout,
): boolean {
  if (requested === false) return false;
  if ((process.env['NO_COLOR'] ?? '') !== '') return false;
  return stream.isTTY === true;
}

/** Progress lines on stderr, only when stderr is a terminal and not --quiet. */
export function createProgress(quiet: boolean | undefined): (message: string) => void {
  if (quiet || process.stderr.isTTY !== true) return () => {};
  return (message) => writeTerminalControl(`\r\u001b[2K${message}`);
}
