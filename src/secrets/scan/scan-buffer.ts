import type { CompiledRuleSet } from './compile-rules.js';
import { type EngineMatch, scanText } from './engine.js';

export interface BufferScan {
  binary: boolean;
  matches: EngineMatch[];
}

/** Content larger than this is decoded and scanned in pieces, each overlapping the next. */
export const pieceBytes = 16 * 1024 * 1024;
const overlapBytes = 256 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Git's own test: a NUL byte in the first 8000 bytes means binary. */
export function isBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8000).includes(0);
}

/**
 * Scans file or blob content. Binary content is skipped (and said to be); invalid UTF-8 becomes
 * U+FFFD and is scanned around; large content is scanned in bounded pieces.
 */
export function scanBuffer(content: Uint8Array, ruleSet: CompiledRuleSet): BufferScan {
  if (isBinary(content)) return { binary: true, matches: [] };
  if (content.length <= pieceBytes + overlapBytes) {
    return { binary: false, matches: scanText(decoder.decode(content), ruleSet) };
  }
  const matches: EngineMatch[] = [];
  let lineOffset = 0;
  for (let start = 0; start < content.length; start += pieceBytes) {
    const main = decoder.decode(content.subarray(start, Math.min(content.length, start + pieceBytes)));
    const tail = decoder.decode(
      content.subarray(Math.min(content.length, start + pieceBytes), start + pieceBytes + overlapBytes),
    );
    const mainLines = countNewlines(main) + 1;
    const lastLineLength = main.length - (main.lastIndexOf('\n') + 1);
    for (const match of scanText(main + tail, ruleSet)) {
      // Matches starting in the overlap belong to the next piece.
      const inMain = match.line < mainLines || (match.line === mainLines && match.column <= lastLineLength);
      if (inMain) matches.push({ ...match, line: match.line + lineOffset });
    }
    lineOffset += mainLines - 1;
  }
  return { binary: false, matches };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
