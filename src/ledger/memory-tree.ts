import { appendLeaves, computeRoot, hashLeaf, type NodeReader } from './merkle.js';

/**
 * A Merkle tree held in memory: every perfect-subtree node, one array per level. Used to recompute
 * a log from its entries (`ledger verify`) and in tests; the store keeps the same nodes in tables.
 */
export class MemoryTree {
  private readonly levels: Uint8Array[][] = [[]];

  get size(): number {
    return this.levels[0]?.length ?? 0;
  }

  readonly read: NodeReader = (level, index) => {
    const hash = this.levels[level]?.[index];
    if (hash === undefined) throw new RangeError(`no node at level ${level}, index ${index}`);
    return hash;
  };

  /** Appends raw leaf data (hashed here) and returns the leaf hash. */
  append(data: Uint8Array): Uint8Array {
    const leafHash = hashLeaf(data);
    this.appendHash(leafHash);
    return leafHash;
  }

  appendHash(leafHash: Uint8Array): void {
    for (const node of appendLeaves(this.size, [leafHash], this.read)) {
      let level = this.levels[node.level];
      if (level === undefined) {
        level = [];
        this.levels[node.level] = level;
      }
      level[node.index] = node.hash;
    }
  }

  root(size = this.size): Uint8Array {
    return computeRoot(size, this.read);
  }
}
