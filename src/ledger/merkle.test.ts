import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { thrownCode } from '../testing/thrown-code.js';
import { LedgerError } from './errors.js';
import { MemoryTree } from './memory-tree.js';
import {
  frontierNodes,
  generateConsistencyProof,
  generateInclusionProof,
  hashChildren,
  hashLeaf,
  listNodesRead,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

/** MTH of RFC 9162 §2.1.1, written directly from the definition over an array, as an oracle. */
function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return hashLeaf(leaves[0] ?? new Uint8Array());
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function leafData(index: number): Uint8Array {
  return Buffer.from(`leaf ${index}`);
}

function buildTree(size: number): { tree: MemoryTree; leaves: Uint8Array[] } {
  const tree = new MemoryTree();
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < size; i += 1) {
    leaves.push(leafData(i));
    tree.append(leafData(i));
  }
  return { tree, leaves };
}

function flipBit(hash: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(hash);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

const codeOf = (run: () => unknown) => thrownCode(LedgerError, run);

describe('Merkle tree hashing', () => {
  it('hashes leaves and nodes with the RFC 9162 prefixes', () => {
    expect(Buffer.from(hashLeaf(new Uint8Array())).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    const left = hashLeaf(Buffer.from('a'));
    const right = hashLeaf(Buffer.from('b'));
    const expected = createHash('sha256')
      .update(Buffer.from([1]))
      .update(left)
      .update(right)
      .digest();
    expect(hashChildren(left, right)).toEqual(expected);
  });

  it('computes the same root as the definition for sizes 0..64, at every intermediate size', () => {
    const { tree, leaves } = buildTree(64);
    for (let size = 0; size <= 64; size += 1) {
      expect(Buffer.from(tree.root(size)).toString('hex'), `size ${size}`).toBe(
        Buffer.from(referenceRoot(leaves.slice(0, size))).toString('hex'),
      );
    }
  });

  it('lists the right-edge subtrees of a tree', () => {
    expect(frontierNodes(0)).toEqual([]);
    expect(frontierNodes(7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(frontierNodes(8)).toEqual([{ level: 3, index: 0 }]);
  });
});

describe('inclusion proofs', () => {
  const { tree } = buildTree(64);

  it('verifies every leaf of every tree of size 1..64 and rejects every tampered variant', () => {
    for (let size = 1; size <= 64; size += 1) {
      const root = tree.root(size);
      for (let index = 0; index < size; index += 1) {
        const leafHash = hashLeaf(leafData(index));
        const proof = generateInclusionProof(index, size, tree.read);
        verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof, root });
        expect(
          codeOf(() =>
            verifyInclusion({
              leafIndex: index,
              treeSize: size,
              leafHash: flipBit(leafHash, 5),
              proof,
              root,
            }),
          ),
        ).toBe('PROOF_INVALID');
        expect(
          codeOf(() =>
            verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof, root: flipBit(root, 0) }),
          ),
        ).toBe('PROOF_INVALID');
        proof.forEach((_, position) => {
          const tampered = proof.map((hash, at) => (at === position ? flipBit(hash, 77) : hash));
          expect(
            codeOf(() =>
              verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof: tampered, root }),
            ),
          ).toBe('PROOF_INVALID');
        });
        if (proof.length > 0) {
          expect(
            codeOf(() =>
              verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof: proof.slice(1), root }),
            ),
          ).toBe('PROOF_INVALID');
        }
        expect(
          codeOf(() =>
            verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof: [...proof, root], root }),
          ),
        ).toBe('PROOF_INVALID');
        if (size > 1) {
          const other = (index + 1) % size;
          expect(
            codeOf(() => verifyInclusion({ leafIndex: other, treeSize: size, leafHash, proof, root })),
          ).toBeDefined();
        }
      }
    }
  });

  it('rejects malformed input with PROOF_MALFORMED', () => {
    const root = tree.root(8);
    const leafHash = hashLeaf(leafData(0));
    const proof = generateInclusionProof(0, 8, tree.read);
    expect(codeOf(() => verifyInclusion({ leafIndex: 8, treeSize: 8, leafHash, proof, root }))).toBe(
      'PROOF_MALFORMED',
    );
    expect(
      codeOf(() =>
        verifyInclusion({ leafIndex: 0, treeSize: 8, leafHash, proof: [new Uint8Array(), ...proof], root }),
      ),
    ).toBe('PROOF_MALFORMED');
    expect(
      codeOf(() => verifyInclusion({ leafIndex: 0, treeSize: 8, leafHash, proof, root: new Uint8Array(31) })),
    ).toBe('PROOF_MALFORMED');
    expect(codeOf(() => rootFromInclusionProof({ leafIndex: -1, treeSize: 8, leafHash, proof }))).toBe(
      'PROOF_MALFORMED',
    );
    expect(codeOf(() => generateInclusionProof(8, 8, tree.read))).toBe('LEDGER_OUT_OF_RANGE');
  });

  it('reads O(log n) nodes for a proof', () => {
    const big = 1_000_000;
    const reads = listNodesRead((read) => generateInclusionProof(123_457, big, read));
    expect(reads.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(big)));
  });
});

describe('consistency proofs', () => {
  const { tree } = buildTree(64);

  it('verifies every pair of sizes 1 ≤ m ≤ n ≤ 64 and rejects tampering', () => {
    for (let size2 = 1; size2 <= 64; size2 += 1) {
      const root2 = tree.root(size2);
      for (let size1 = 1; size1 <= size2; size1 += 1) {
        const root1 = tree.root(size1);
        const proof = generateConsistencyProof(size1, size2, tree.read);
        verifyConsistency({ size1, size2, root1, root2, proof });
        if (size1 === size2) continue;
        expect(
          codeOf(() => verifyConsistency({ size1, size2, root1: flipBit(root1, 3), root2, proof })),
        ).toBe('PROOF_INVALID');
        expect(
          codeOf(() => verifyConsistency({ size1, size2, root1, root2: flipBit(root2, 3), proof })),
        ).toBe('PROOF_INVALID');
        proof.forEach((_, position) => {
          const tampered = proof.map((hash, at) => (at === position ? flipBit(hash, 200) : hash));
          expect(codeOf(() => verifyConsistency({ size1, size2, root1, root2, proof: tampered }))).toBe(
            'PROOF_INVALID',
          );
        });
        expect(
          codeOf(() => verifyConsistency({ size1, size2, root1, root2, proof: proof.slice(0, -1) })),
        ).toBe('PROOF_INVALID');
        expect(
          codeOf(() => verifyConsistency({ size1, size2, root1, root2, proof: [...proof, root2] })),
        ).toBe('PROOF_INVALID');
      }
    }
  });

  it('detects a fork: a different history of the same length is not consistent', () => {
    const forked = new MemoryTree();
    for (let i = 0; i < 10; i += 1) forked.append(i === 3 ? Buffer.from('rewritten') : leafData(i));
    for (let i = 10; i < 20; i += 1) forked.append(leafData(i));
    const proof = generateConsistencyProof(10, 20, forked.read);
    expect(
      codeOf(() =>
        verifyConsistency({ size1: 10, size2: 20, root1: tree.root(10), root2: forked.root(20), proof }),
      ),
    ).toBe('PROOF_INVALID');
  });

  it('handles the edge sizes', () => {
    const root = tree.root(5);
    verifyConsistency({ size1: 0, size2: 5, root1: tree.root(0), root2: root, proof: [] });
    expect(
      codeOf(() => verifyConsistency({ size1: 5, size2: 5, root1: root, root2: tree.root(6), proof: [] })),
    ).toBe('PROOF_INVALID');
    expect(codeOf(() => verifyConsistency({ size1: 6, size2: 5, root1: root, root2: root, proof: [] }))).toBe(
      'PROOF_MALFORMED',
    );
    expect(codeOf(() => generateConsistencyProof(6, 5, tree.read))).toBe('LEDGER_OUT_OF_RANGE');
  });
});
