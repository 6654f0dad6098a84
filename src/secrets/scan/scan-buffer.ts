import { isAscii } from 'node:buffer';
import type { CompiledRuleSet } from './compile-rules.js';
import { type EngineMatch, type ScanObservations, scanText } from './engine.js';

export interface BufferScan {
  binary: boolean;
  matches: EngineMatch[];
  /** See `ScanObservations.crossLine`. */
  crossLine: boolean;
}

/** Content larger than this is decoded and scanned in pieces, each overlapping the next. */
export const pieceBytes = 16 * 1024 * 1024;
const overlapBytes = 256 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Bytes as text, as UTF-8 with U+FFFD for what is not. Pure ASCII (most source) reads the same as
 * Latin-1, which is built without decoding: several times faster, and a history scan decodes
 * every byte of every version it reads.
 */
export function decodeText(content: Uint8Array): string {
  if (!isAscii(content)) return decoder.decode(content);
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');
}

/** Git's own test: a NUL byte in the first 8000 bytes means binary. */
export function isBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8000).includes(0);
}

/**
 * Scans file or blob content. Binary content is skipped (and said to be), UTF-16 text (with its
 * byte-order mark) decoded; invalid UTF-8 becomes U+FFFD and is scanned around; large content is
 * scanned in bounded pieces.
 */
export function scanBuffer(content: Uint8Array, ruleSet: CompiledRuleSet): BufferScan {
  if (!isBinary(content)) return scanTextBuffer(content, ruleSet);
  const utf16 = utf16Text(content);
  if (utf16 === undefined || utf16.includes('\0')) return { binary: true, matches: [], crossLine: false };
  // Its lines are not the bytes' lines: never reused line by line (crossLine).
  return { binary: false, matches: scanText(utf16, ruleSet, { crossLine: false }), crossLine: true };
}

const utf16Decoders = {
  le: new TextDecoder('utf-16le', { fatal: false }),
  be: new TextDecoder('utf-16be', { fatal: false }),
};

/**
 * Content that starts with a UTF-16 byte-order mark (Windows tools save `.env`, `.ps1`, `.reg` and
 * settings files so), decoded: the NUL bytes of its ASCII would otherwise have it skipped as binary.
 */
function utf16Text(content: Uint8Array): string | undefined {
  if (content[0] === 0xff && content[1] === 0xfe) return utf16Decoders.le.decode(content);
  if (content[0] === 0xfe && content[1] === 0xff) return utf16Decoders.be.decode(content);
  return undefined;
}

/**
 * Scans content already known to be text (or a run of whole lines cut from such content), with
 * lines counted from 1 at its start.
 */
export function scanTextBuffer(content: Uint8Array, ruleSet: CompiledRuleSet): BufferScan {
  const observations: ScanObservations = { crossLine: false };
  if (content.length <= pieceBytes + overlapBytes) {
    const matches = scanText(decodeText(content), ruleSet, observations);
    return { binary: false, matches, crossLine: observations.crossLine };
  }
  const matches: EngineMatch[] = [];
  let lineOffset = 0;
  for (let start = 0; start < content.length; start += pieceBytes) {
    const main = decodeText(content.subarray(start, Math.min(content.length, start + pieceBytes)));
    const tail = decodeText(
      content.subarray(Math.min(content.length, start + pieceBytes), start + pieceBytes + overlapBytes),
    );
    const mainLines = countNewlines(main) + 1;
    const lastLineLength = main.length - (main.lastIndexOf('\n') + 1);
    for (const match of scanText(main + tail, ruleSet, observations)) {
      // Matches starting in the overlap belong to the next piece.
      const inMain = match.line < mainLines || (match.line === mainLines && match.column <= lastLineLength);
      if (inMain) matches.push({ ...match, line: match.line + lineOffset });
    }
    lineOffset += mainLines - 1;
  }
  // Pieces cut lines at arbitrary bytes: results are not line-local, so never reuse them.
  return { binary: false, matches, crossLine: true };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
