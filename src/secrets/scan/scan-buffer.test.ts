import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from './scan-buffer.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

describe('decodeText', () => {
  it('reads any bytes exactly as the UTF-8 decoder does, ASCII by the fast path', () => {
    const ascii = fc.uint8Array({ maxLength: 200 }).map((bytes) => bytes.map((byte) => byte & 0x7f));
    fc.assert(
      fc.property(
        fc.oneof(ascii, fc.uint8Array({ maxLength: 200 })),
        fc.nat({ max: 16 }),
        (bytes, offset) => {
          // A view into a larger buffer, as blobs are views into git's output.
          const padded = new Uint8Array(offset + bytes.length + 3);
          padded.set(bytes, offset);
          const view = padded.subarray(offset, offset + bytes.length);
          expect(decodeText(view)).toBe(utf8.decode(view));
        },
      ),
    );
    // A byte-order mark, invalid and truncated sequences: the decoder's answer, not Latin-1's.
    for (const bytes of [
      [0xef, 0xbb, 0xbf, 0x61],
      [0x61, 0xe2, 0x82],
      [0xc3, 0xa9, 0xff, 0x0a],
    ]) {
      expect(decodeText(Uint8Array.from(bytes))).toBe(utf8.decode(Uint8Array.from(bytes)));
    }
  });
});
