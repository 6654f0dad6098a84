import { describe, expect, it } from 'vitest';
import { MemoryTree } from './memory-tree.js';
import { hashLeaf, StreamingRoot } from './merkle.js';

describe('StreamingRoot', () => {
  it('agrees with the full tree at every size up to 100', () => {
    const tree = new MemoryTree();
    const stream = new StreamingRoot();
    expect(stream.root()).toEqual(tree.root());
    for (let i = 0; i < 100; i += 1) {
      tree.append(Buffer.from(`e${i}`));
      stream.push(hashLeaf(Buffer.from(`e${i}`)));
      expect(Buffer.from(stream.root()).toString('hex'), `size ${i + 1}`).toBe(
        Buffer.from(tree.root()).toString('hex'),
      );
    }
    expect(stream.size).toBe(100);
  });
});
