import { writeFile } from 'node:fs/promises';

export interface OutputOptions {
  out?: string;
}

/** Writes a command's rendered result to `--out FILE`, or to stdout. */
export async function writeOutput(text: string, options: OutputOptions): Promise<void> {
  const content = text.endsWith('\n') ? text : `${text}\n`;
  if (options.out) {
    await writeFile(options.out, content, { encoding: 'utf8', mode: 0o644 });
    return;
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(content, (error) => (error ? reject(error) : resolve()));
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
  return (message) => process.stderr.write(`\r\u001b[2K${message}`);
}
