import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { readBlobs } from './git-stream.js';

const newRepository = temporaryRepositories();

/** 300 small files and one of 3 MB (larger than any pipe or chunk), committed; their blob ids. */
function repositoryWithBlobs(): { root: string; oids: string[] } {
  const repo = newRepository();
  const files: Record<string, string> = {};
  for (let index = 0; index < 300; index++)
    files[`src/file-${index}.txt`] = `content ${index}\n`.repeat(index + 1);
  files['large.bin'] = 'x'.repeat(3 * 1024 * 1024);
  repo.write(files);
  repo.commit('files');
  const oids = repo
    .git('ls-tree', '-r', 'HEAD')
    .split('\n')
    .map((line) => line.split(/\s+/)[2] ?? '');
  return { root: repo.path, oids };
}

async function readAll(root: string, oids: string[], relay: boolean, stopAfter?: number) {
  const seen: Array<[string, string | undefined]> = [];
  const read = await readBlobs(root, oids, {
    relay,
    onBlob(oid, content) {
      seen.push([oid, content && createHash('sha256').update(content).digest('hex')]);
    },
    ...(stopAfter === undefined ? {} : { shouldStop: () => seen.length >= stopAfter }),
  });
  return { read, seen };
}

describe('reading blobs through the relay thread', () => {
  it('hands over the same blobs, whole and in order, as reading on this thread', async () => {
    const { root, oids } = repositoryWithBlobs();
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const asked = [...oids.slice(0, 150), missing, ...oids.slice(150)];
    const direct = await readAll(root, asked, false);
    const relayed = await readAll(root, asked, true);
    expect(relayed.read).toBe(asked.length);
    expect(relayed.seen).toEqual(direct.seen);
    expect(relayed.seen.map(([oid]) => oid)).toEqual(asked);
    expect(relayed.seen[150]).toEqual([missing, undefined]);
  }, 30_000);

  it('stops when asked, and git with it', async () => {
    // Blobs of 256 KB: a relayed chunk (at most 1 MB) holds a few, so the stop comes well before
    // the end (the stop is checked per blob handed over, and a chunk's blobs are handed over at once).
    const repo = newRepository();
    const files: Record<string, string> = {};
    for (let index = 0; index < 60; index++) files[`blob-${index}.txt`] = `${index}\n`.repeat(128 * 1024);
    repo.write(files);
    repo.commit('large files');
    const oids = repo
      .git('ls-tree', '-r', 'HEAD')
      .split('\n')
      .map((line) => line.split(/\s+/)[2] ?? '');
    const { read, seen } = await readAll(repo.path, oids, true, 3);
    expect(read).toBeGreaterThanOrEqual(3);
    expect(read).toBeLessThan(oids.length);
    expect(seen.length).toBe(read);
  }, 30_000);

  it('reports a git that fails', async () => {
    const repo = newRepository({ git: false });
    await expect(readAll(repo.path, ['0123456789abcdef0123456789abcdef01234567'], true)).rejects.toThrow(
      /git cat-file --batch failed/,
    );
  });
});
