import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkQueue } from './git-stream.js';

describe('ChunkQueue', () => {
  it('gives back the bytes in order, however they were split into chunks and taken', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 30 }),
        fc.array(fc.nat({ max: 60 }), { maxLength: 30 }),
        (bytes, cuts, takes) => {
          const queue = new ChunkQueue();
          let at = 0;
          for (const cut of cuts) {
            queue.push(Buffer.from(bytes.subarray(at, at + cut)));
            at = Math.min(bytes.length, at + cut);
          }
          queue.push(Buffer.from(bytes.subarray(at)));
          expect(queue.length).toBe(bytes.length);
          let read = 0;
          for (const take of takes) {
            const count = Math.min(take, queue.length);
            const newline = queue.indexOf(10);
            const expected = bytes.subarray(read).indexOf(10);
            expect(newline).toBe(expected);
            expect([...queue.take(count)]).toEqual([...bytes.subarray(read, read + count)]);
            read += count;
          }
          expect([...queue.take(queue.length)]).toEqual([...bytes.subarray(read)]);
          expect(queue.length).toBe(0);
        },
      ),
    );
  });

  it('hands a blob inside one chunk on as a view, and copies only one that spans chunks', () => {
    const first = Buffer.from('abcdef');
    const second = Buffer.from('ghij');
    const queue = new ChunkQueue();
    queue.push(first);
    queue.push(second);
    const inside = queue.take(4);
    expect(inside.toString()).toBe('abcd');
    expect(inside.buffer).toBe(first.buffer);
    const spanning = queue.take(4);
    expect(spanning.toString()).toBe('efgh');
    expect(spanning.buffer).not.toBe(first.buffer);
    expect(spanning.buffer).not.toBe(second.buffer);
    const rest = queue.take(2);
    expect(rest.toString()).toBe('ij');
    expect(rest.buffer).toBe(second.buffer);
  });
});
