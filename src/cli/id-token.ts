import { InputFileError, readInputFile } from '../kernel/index.js';
import { UsageError } from './errors.js';

/** An ID token is a few kilobytes; anything larger is not one. */
const maxTokenBytes = 16 * 1024;

/** A CI workload's ID token from a file, or from stdin for `-`; bounded, trimmed. */
export async function readIdToken(source: string): Promise<string> {
  const bytes = source === '-' ? await readStdin(maxTokenBytes + 1) : await readTokenFile(source);
  if (bytes.length > maxTokenBytes) throw tokenTooLarge();
  return bytes.toString('utf8').trim();
}

function tokenTooLarge(): UsageError {
  return new UsageError('USAGE_INVALID_OPTION', `the ID token is larger than ${maxTokenBytes} bytes`);
}

/** Bounded by reading: a FIFO or /dev/zero gives up after the limit instead of reading for ever. */
async function readTokenFile(path: string): Promise<Buffer> {
  try {
    return await readInputFile(path, 'ID token', { maxBytes: maxTokenBytes });
  } catch (error) {
    if (error instanceof InputFileError && error.code === 'INPUT_FILE_TOO_LARGE') throw tokenTooLarge();
    throw error;
  }
}

async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    if (total >= maxBytes) break;
  }
  return Buffer.concat(chunks);
}
