/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing and proofs, §2.1.
 *
 * Everything here is pure. Trees are read through a `NodeReader` that returns the hash of the
 * perfect subtree at (level, index): level 0 are the leaf hashes, and the node at (level, index)
 * covers leaves [index·2^level, (index+1)·2^level). A store that keeps those nodes serves any
 * proof with O(log n) reads; `listNodesRead` tells it which ones to fetch first, in one query.
 */
import { createHash } from 'node:crypto';
import { LedgerError } from './errors.js';

export const hashSize = 32;

/** Hash of the perfect subtree at (level, index); see the module comment. */
export type NodeReader = (level: number, index: number) => Uint8Array;

export interface NodeId {
  level: number;
  index: number;
}

const leafPrefix = Buffer.from([0x00]);
const nodePrefix = Buffer.from([0x01]);

/** SHA-256(0x00 || data). */
export function hashLeaf(data: Uint8Array): Buffer {
  return createHash('sha256').update(leafPrefix).update(data).digest();
}

/** SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(nodePrefix).update(left).update(right).digest();
}

/** SHA-256 of nothing: the root of the empty tree. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError('PROOF_MALFORMED', `${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * MTH(D[start:end]) of a subtree that RFC 9162's recursion produces: [start, end) with start a
 * multiple of the largest power of two not exceeding end - start. Perfect pieces come from `read`.
 */
function hashRange(read: NodeReader, start: number, end: number): Uint8Array {
  const size = end - start;
  if (isPowerOfTwo(size)) {
    const level = Math.round(Math.log2(size));
    return read(level, start / size);
  }
  const k = splitPoint(size);
  return hashChildren(hashRange(read, start, start + k), hashRange(read, start + k, end));
}

/** MTH(D[n]): the root of the first `size` leaves. */
export function computeRoot(size: number, read: NodeReader): Uint8Array {
  checkSize('tree size', size);
  if (size === 0) return emptyRoot();
  return hashRange(read, 0, size);
}

/** A walk down the tree: the subtree D[start:end] it is in, and `m` relative to that subtree. */
interface Descent {
  start: number;
  end: number;
  m: number;
}

/**
 * Moves `descent` into the left half of its subtree when `inLeft(m, k)` (k: the split point),
 * else into the right half, and returns the hash of the half it leaves: the proof's next node.
 */
function stepDown(read: NodeReader, descent: Descent, inLeft: (m: number, k: number) => boolean): Uint8Array {
  const { start, end, m } = descent;
  const k = splitPoint(end - start);
  if (inLeft(m, k)) {
    descent.end = start + k;
    return hashRange(read, start + k, end);
  }
  descent.start = start + k;
  descent.m = m - k;
  return hashRange(read, start, start + k);
}

/** PATH(index, D[size]) of RFC 9162 §2.1.3.1, leaf-side first. */
export function generateInclusionProof(index: number, size: number, read: NodeReader): Uint8Array[] {
  checkSize('leaf index', index);
  checkSize('tree size', size);
  if (index >= size) {
    throw new LedgerError('LEDGER_OUT_OF_RANGE', `leaf ${index} is not in a tree of size ${size}`);
  }
  const proof: Uint8Array[] = [];
  // Walk down from the root, collecting the sibling of each subtree on the way; reverse at the end.
  const descent = { start: 0, end: size, m: index };
  while (descent.end - descent.start > 1) proof.push(stepDown(read, descent, (m, k) => m < k));
  return proof.reverse();
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1, for 0 < m ≤ n (empty when m = n). */
export function generateConsistencyProof(size1: number, size2: number, read: NodeReader): Uint8Array[] {
  checkSize('first size', size1);
  checkSize('second size', size2);
  if (size1 > size2) {
    throw new LedgerError('LEDGER_OUT_OF_RANGE', `size ${size1} is larger than size ${size2}`);
  }
  if (size1 === 0 || size1 === size2) return [];
  const proof: Uint8Array[] = [];
  // SUBPROOF(m, D[start:end], b), unrolled; siblings collected root-side first.
  const descent = { start: 0, end: size2, m: size1 };
  while (descent.m !== descent.end - descent.start) proof.push(stepDown(read, descent, (m, k) => m <= k));
  // b stays true until the walk first steps right, that is while the subtree starts at leaf 0.
  if (descent.start > 0) proof.push(hashRange(read, descent.start, descent.end));
  return proof.reverse();
}

function checkHash(name: string, hash: Uint8Array): void {
  if (hash.length !== hashSize) {
    throw new LedgerError('PROOF_MALFORMED', `${name} must be ${hashSize} bytes, got ${hash.length}`);
  }
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  for (const [position, hash] of proof.entries()) checkHash(`proof[${position}]`, hash);
}

function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
}

/**
 * The index walk the two verifications share (RFC 9162 §2.1.3.2 and §2.1.4.2): `fn` and `sn` climb
 * the tree one proof hash at a time, and `step` is told whether each hash is the left sibling of
 * the path so far. Returns the final `sn`, which is 0 when the proof had the tree's depth.
 * Plain arithmetic, not bit operators: JavaScript's are 32-bit and sizes may be larger.
 */
function walkProof(
  start: { fn: number; sn: number },
  proof: readonly Uint8Array[],
  tooLong: string,
  step: (hash: Uint8Array, leftSibling: boolean) => void,
): number {
  let { fn, sn } = start;
  for (const hash of proof) {
    if (sn === 0) throw new LedgerError('PROOF_INVALID', tooLong);
    const leftSibling = fn % 2 === 1 || fn === sn;
    step(hash, leftSibling);
    if (leftSibling) {
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn;
}

/** The root that an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1–5). */
export function rootFromInclusionProof(input: InclusionProof): Uint8Array {
  const { leafIndex, treeSize, leafHash, proof } = input;
  checkSize('leaf index', leafIndex);
  checkSize('tree size', treeSize);
  if (leafIndex >= treeSize) {
    throw new LedgerError('PROOF_MALFORMED', `leaf index ${leafIndex} is not below tree size ${treeSize}`);
  }
  checkHash('leaf hash', leafHash);
  checkProofHashes(proof);
  let r: Uint8Array = leafHash;
  const sn = walkProof(
    { fn: leafIndex, sn: treeSize - 1 },
    proof,
    'the inclusion proof is longer than the tree is deep',
    (p, leftSibling) => {
      r = leftSibling ? hashChildren(p, r) : hashChildren(r, p);
    },
  );
  if (sn !== 0)
    throw new LedgerError('PROOF_INVALID', 'the inclusion proof is shorter than the tree is deep');
  return r;
}

/** Throws a LedgerError unless the proof shows `leafHash` at `leafIndex` in the tree with `root`. */
export function verifyInclusion(input: InclusionProof & { root: Uint8Array }): void {
  checkHash('root', input.root);
  const computed = rootFromInclusionProof(input);
  if (!equalHashes(computed, input.root)) {
    throw new LedgerError('PROOF_INVALID', 'the inclusion proof does not lead to the given root');
  }
}

export interface ConsistencyProof {
  size1: number;
  size2: number;
  root1: Uint8Array;
  root2: Uint8Array;
  proof: readonly Uint8Array[];
}

/** Throws a LedgerError unless the tree with `root2` extends the tree with `root1` (RFC 9162 §2.1.4.2). */
export function verifyConsistency(input: ConsistencyProof): void {
  const { size1, size2, root1, root2, proof } = input;
  checkSize('first size', size1);
  checkSize('second size', size2);
  checkHash('first root', root1);
  checkHash('second root', root2);
  checkProofHashes(proof);
  if (size1 > size2) throw new LedgerError('PROOF_MALFORMED', `size ${size1} is larger than size ${size2}`);
  if (size1 === size2) {
    if (proof.length > 0) throw new LedgerError('PROOF_INVALID', 'a proof between equal sizes must be empty');
    if (!equalHashes(root1, root2))
      throw new LedgerError('PROOF_INVALID', 'equal sizes with different roots');
    return;
  }
  if (size1 === 0) {
    // Every tree extends the empty one; a non-empty proof is suspicious, so refuse it.
    if (proof.length > 0) throw new LedgerError('PROOF_INVALID', 'a proof from the empty tree must be empty');
    return;
  }
  if (proof.length === 0) throw new LedgerError('PROOF_INVALID', 'the consistency proof is empty');
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const [first, ...rest] = path;
  if (first === undefined) throw new LedgerError('PROOF_INVALID', 'the consistency proof is empty');
  let fr: Uint8Array = first;
  let sr: Uint8Array = first;
  const finalSn = walkProof({ fn, sn }, rest, 'the consistency proof is too long', (c, leftSibling) => {
    if (leftSibling) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
    } else {
      sr = hashChildren(sr, c);
    }
  });
  if (finalSn !== 0) throw new LedgerError('PROOF_INVALID', 'the consistency proof is too short');
  if (!equalHashes(fr, root1))
    throw new LedgerError('PROOF_INVALID', 'the proof does not lead to the first root');
  if (!equalHashes(sr, root2))
    throw new LedgerError('PROOF_INVALID', 'the proof does not lead to the second root');
}

/**
 * Which nodes a computation reads, so a store can fetch them in one query before running it.
 * The proof algorithms' access pattern depends only on sizes and indexes, never on hash values.
 */
export function listNodesRead(compute: (read: NodeReader) => unknown): NodeId[] {
  const seen = new Map<string, NodeId>();
  const placeholder = new Uint8Array(hashSize);
  compute((level, index) => {
    seen.set(`${level}:${index}`, { level, index });
    return placeholder;
  });
  return [...seen.values()];
}

/**
 * The perfect-subtree nodes that become complete when leaves [size, size + leafHashes.length)
 * are appended to a tree of `size` leaves. `read` must serve the existing right-edge nodes (the
 * ones `frontierNodes(size)` lists). Returned in creation order, leaves included.
 */
export function appendLeaves(
  size: number,
  leafHashes: readonly Uint8Array[],
  read: NodeReader,
): Array<NodeId & { hash: Uint8Array }> {
  checkSize('tree size', size);
  const created: Array<NodeId & { hash: Uint8Array }> = [];
  const fresh = new Map<string, Uint8Array>();
  const lookup = (level: number, index: number): Uint8Array =>
    fresh.get(`${level}:${index}`) ?? read(level, index);
  let position = size;
  for (const leafHash of leafHashes) {
    checkHash('leaf hash', leafHash);
    let level = 0;
    let index = position;
    let hash: Uint8Array = leafHash;
    for (;;) {
      created.push({ level, index, hash });
      fresh.set(`${level}:${index}`, hash);
      if (index % 2 === 0) break;
      hash = hashChildren(lookup(level, index - 1), hash);
      level += 1;
      index = Math.floor(index / 2);
    }
    position += 1;
  }
  return created;
}

/** The complete subtrees along the right edge of a tree of `size` leaves, largest first. */
export function frontierNodes(size: number): NodeId[] {
  checkSize('tree size', size);
  const nodes: NodeId[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level -= 1) {
    const width = 2 ** level;
    if (start + width <= size) {
      nodes.push({ level, index: start / width });
      start += width;
    }
  }
  return nodes;
}

/**
 * Computes roots while leaf hashes stream past, keeping only the right edge (O(log n) memory):
 * how `ledger verify` recomputes a million-entry log without holding it.
 */
export class StreamingRoot {
  /** Complete subtrees on the right edge, largest first, with their levels. */
  private readonly edge: Array<{ level: number; hash: Uint8Array }> = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leafHash: Uint8Array): void {
    checkHash('leaf hash', leafHash);
    let node = { level: 0, hash: leafHash };
    for (
      let last = this.edge.at(-1);
      last !== undefined && last.level === node.level;
      last = this.edge.at(-1)
    ) {
      this.edge.pop();
      node = { level: node.level + 1, hash: hashChildren(last.hash, node.hash) };
    }
    this.edge.push(node);
    this.count += 1;
  }

  root(): Uint8Array {
    const last = this.edge.at(-1);
    if (last === undefined) return emptyRoot();
    let hash = last.hash;
    for (let position = this.edge.length - 2; position >= 0; position -= 1) {
      hash = hashChildren(this.edge[position]?.hash ?? hash, hash);
    }
    return hash;
  }
}
