/**
 * Small files of one commit (a policy, the keys and calendars it names), read together: the reads
 * asked for in the same turn of the event loop are answered by one `git ls-tree` and one
 * `git cat-file --batch`, two processes instead of two per file. Same rules as
 * `readFileAtRevision`: regular files only (a link, submodule or folder is an error, never
 * followed), sizes checked from the listing before anything is read.
 */
import { GitError, listPathsAtRevision, runGit, type TreeEntry } from './git.js';

export interface RevisionFiles {
  /** The file's bytes at the revision, or undefined when the commit has no such path. */
  read(path: string, maxBytes: number): Promise<Buffer | undefined>;
}

interface PendingRead {
  path: string;
  maxBytes: number;
  resolve(content: Buffer | undefined): void;
  reject(error: unknown): void;
}

export function openRevisionFiles(cwd: string, revision: string): RevisionFiles {
  let queue: PendingRead[] = [];
  const answered = new Map<string, Promise<Buffer | undefined>>();

  async function flush(): Promise<void> {
    const batch = queue;
    queue = [];
    try {
      const entries = await listPathsAtRevision(cwd, revision, [...new Set(batch.map((read) => read.path))]);
      const wanted: Array<{ read: PendingRead; entry: TreeEntry }> = [];
      for (const read of batch) {
        const entry = entries.get(read.path);
        if (entry === undefined) read.resolve(undefined);
        else if (entry.type !== 'blob' || (entry.mode !== '100644' && entry.mode !== '100755')) {
          read.reject(
            new GitError('GIT_FAILED', `${revision}:${read.path} is not a regular file (mode ${entry.mode})`),
          );
        } else if (entry.size > read.maxBytes) {
          read.reject(
            new GitError(
              'GIT_OUTPUT_TOO_LARGE',
              `${revision}:${read.path} is larger than ${read.maxBytes} bytes`,
            ),
          );
        } else wanted.push({ read, entry });
      }
      if (wanted.length === 0) return;
      const blobs = await readBlobs(
        cwd,
        wanted.map((item) => item.entry),
      );
      for (const { read, entry } of wanted) read.resolve(blobs.get(entry.oid));
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }

  return {
    read(path, maxBytes) {
      const key = `${maxBytes}\0${path}`;
      let answer = answered.get(key);
      if (answer === undefined) {
        answer = new Promise<Buffer | undefined>((resolve, reject) => {
          queue.push({ path, maxBytes, resolve, reject });
          if (queue.length === 1) setImmediate(() => void flush());
        });
        answered.set(key, answer);
      }
      return answer;
    },
  };
}

/** The blobs' contents from one `git cat-file --batch`; sizes come from the listing, so output is bounded. */
async function readBlobs(cwd: string, entries: readonly TreeEntry[]): Promise<Map<string, Buffer>> {
  const oids = [...new Set(entries.map((entry) => entry.oid))];
  const expected = entries.reduce((total, entry) => total + entry.size, 0);
  const output = await runGit(cwd, ['cat-file', '--batch'], {
    input: `${oids.join('\n')}\n`,
    maxOutputBytes: expected + oids.length * 128,
  });
  const blobs = new Map<string, Buffer>();
  let offset = 0;
  while (offset < output.length) {
    const newline = output.indexOf(0x0a, offset);
    if (newline === -1) break;
    const [oid = '', type = '', size = ''] = output.subarray(offset, newline).toString('utf8').split(' ');
    if (type !== 'blob')
      throw new GitError('GIT_FAILED', `git cat-file --batch: ${oid} is ${type || 'missing'}`);
    const start = newline + 1;
    const end = start + Number(size);
    blobs.set(oid, output.subarray(start, end));
    offset = end + 1;
  }
  return blobs;
}
