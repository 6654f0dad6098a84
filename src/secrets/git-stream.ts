import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { gitEnvironment } from '../kernel/index.js';
import { SecretsError } from './errors.js';
import { type RelayedGit, relayGit } from './git-relay.js';

/** Spawns git with an argument array (no shell), prompts and pagers off, as src/kernel/git.ts does. */
function spawnGit(cwd: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  const child = spawn('git', ['-c', 'core.quotepath=off', '--no-pager', ...args], {
    cwd,
    env: gitEnvironment(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // git may exit (or be stopped when a time budget runs out) while requests are still being
  // written; the exit code tells the outcome, so a broken pipe must not crash the run.
  child.stdin.on('error', () => {});
  return child;
}

function waitForExit(child: ChildProcessWithoutNullStreams, args: readonly string[]): Promise<void> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) =>
      reject(
        new SecretsError('SECRETS_REPOSITORY_CORRUPT', `git could not run: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0 || signal === 'SIGTERM') resolve();
      else {
        reject(
          new SecretsError(
            'SECRETS_REPOSITORY_CORRUPT',
            `git ${args.join(' ')} failed (exit ${code ?? signal}): ${stderr.trim().slice(0, 500)}`,
          ),
        );
      }
    });
  });
}

/** Runs git and hands each NUL-terminated token of stdout to `onToken`, streaming. */
export async function streamGitTokens(
  cwd: string,
  args: readonly string[],
  onToken: (token: Buffer) => void,
): Promise<void> {
  const child = spawnGit(cwd, args);
  child.stdin.end();
  const exited = waitForExit(child, args);
  let rest: Buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(0, start); end !== -1; end = data.indexOf(0, start)) {
      onToken(data.subarray(start, end));
      start = end + 1;
    }
    data = data.subarray(start);
    rest = Buffer.from(data);
  });
  await exited;
  if (rest.length > 0) onToken(rest);
}

export interface BlobReadOptions {
  /** Called for each blob in the order asked; `undefined` when git reports it missing. */
  onBlob(oid: string, content: Buffer | undefined): Promise<void> | void;
  /** Checked between blobs: true stops reading (a time budget ran out). */
  shouldStop?: () => boolean;
  /** Blobs handed to onBlob and not yet settled, above which reading pauses. */
  maxInFlight?: number;
  /**
   * Drain git's output on a worker thread (git-relay.ts), so git reads ahead while onBlob works:
   * for long reads whose onBlob costs about what git does (a history scan).
   */
  relay?: boolean;
}

/** The one `git cat-file --batch` process readBlobs talks to, on this thread or behind a relay. */
type BatchProcess = Omit<RelayedGit, 'exited'> & { exited: Promise<void> };

function directBatch(cwd: string, args: readonly string[]): BatchProcess {
  const child = spawnGit(cwd, args);
  return {
    write: (text) => child.stdin.write(text),
    end: () => child.stdin.end(),
    kill: () => child.kill('SIGTERM'),
    onData: (listener) => child.stdout.on('data', listener),
    pause: () => child.stdout.pause(),
    resume: () => child.stdout.resume(),
    isPaused: () => child.stdout.isPaused(),
    exited: waitForExit(child, args),
  };
}

function relayedBatch(cwd: string, args: readonly string[]): BatchProcess {
  const relay = relayGit(cwd, ['-c', 'core.quotepath=off', '--no-pager', ...args], gitEnvironment());
  return {
    ...relay,
    exited: relay.exited.then(({ code, signal, stderr, error }) => {
      if (error !== undefined)
        throw new SecretsError('SECRETS_REPOSITORY_CORRUPT', `git could not run: ${error}`);
      if (code === 0 || signal === 'SIGTERM') return;
      throw new SecretsError(
        'SECRETS_REPOSITORY_CORRUPT',
        `git ${args.join(' ')} failed (exit ${code ?? signal}): ${stderr.trim().slice(0, 500)}`,
      );
    }),
  };
}

/**
 * Reads blobs with one `git cat-file --batch` process: each object is read once, with no diff or
 * patch generated. Returns how many were read before a stop.
 */
export async function readBlobs(
  cwd: string,
  oids: readonly string[],
  options: BlobReadOptions,
): Promise<number> {
  const args = ['cat-file', '--batch'];
  const git = options.relay ? relayedBatch(cwd, args) : directBatch(cwd, args);
  const maxInFlight = options.maxInFlight ?? 32;
  let written = 0;
  let read = 0;
  let inFlight = 0;
  let stopped = false;
  const pendingWork: Promise<void>[] = [];
  let failure: unknown;

  // Ask for blobs a batch ahead of what has been read, so git's output stays bounded too; in
  // batches, since one write per blob costs a system call and a wake-up of git each.
  // Behind a relay, every request at once: the relay bounds what git reads ahead by its output.
  const writeMore = () => {
    if (stopped || written - read > 128) return;
    const target = options.relay ? oids.length : Math.min(oids.length, read + 256);
    if (written >= target) return;
    git.write(`${oids.slice(written, target).join('\n')}\n`);
    written = target;
    if (written === oids.length) git.end();
  };

  const queue = new ChunkQueue();
  let header: { oid: string; size: number } | undefined;
  const finish = () => {
    if (stopped) return;
    stopped = true;
    git.end();
    git.kill();
  };
  const handle = (oid: string, content: Buffer | undefined) => {
    read++;
    inFlight++;
    const work = Promise.resolve()
      .then(() => options.onBlob(oid, content))
      .catch((error: unknown) => {
        failure ??= error;
        finish();
      })
      .finally(() => {
        inFlight--;
        if (inFlight < maxInFlight / 2 && git.isPaused()) git.resume();
      });
    pendingWork.push(work);
    if (inFlight >= maxInFlight) git.pause();
    if (read === oids.length || options.shouldStop?.()) finish();
    else writeMore();
  };
  git.onData((chunk: Buffer) => {
    if (stopped) return;
    queue.push(chunk);
    for (;;) {
      if (stopped) return;
      if (!header) {
        const newline = queue.indexOf(10);
        if (newline === -1) break;
        const line = queue.take(newline).toString('utf8');
        queue.skip(1);
        const fields = line.split(' ');
        if (fields[1] === 'missing' || fields.length < 3) {
          handle(fields[0] ?? '', undefined);
          continue;
        }
        header = { oid: fields[0] ?? '', size: Number(fields[2]) };
      }
      if (queue.length < header.size + 1) break;
      const content = queue.take(header.size);
      queue.skip(1);
      const current = header;
      header = undefined;
      handle(current.oid, content);
    }
  });
  if (oids.length === 0) finish();
  else writeMore();
  await git.exited;
  await Promise.all(pendingWork);
  if (failure) throw failure;
  return read;
}

/**
 * Output not yet parsed, as the chunks it arrived in. A blob that lies inside one chunk is handed
 * on as a view of it; only one that spans chunks is copied, once (joining the chunks instead copied
 * every byte of the history at each chunk boundary).
 */
export class ChunkQueue {
  private readonly parts: Buffer[] = [];
  /** Bytes of parts[0] already taken. */
  private offset = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  /** Where `byte` first occurs, counted from the next byte to take; -1 when not yet arrived. */
  indexOf(byte: number): number {
    let before = 0;
    for (const [index, part] of this.parts.entries()) {
      const from = index === 0 ? this.offset : 0;
      const at = part.indexOf(byte, from);
      if (at !== -1) return before + at - from;
      before += part.length - from;
    }
    return -1;
  }

  /** The next `count` bytes (at most `length`), taken: a view when they lie in one chunk. */
  take(count: number): Buffer {
    const first = this.parts[0];
    if (first === undefined || first.length - this.offset >= count) {
      const view = (first ?? Buffer.alloc(0)).subarray(this.offset, this.offset + count);
      this.skip(count);
      return view;
    }
    const copy = Buffer.allocUnsafeSlow(count);
    let filled = 0;
    while (filled < count) {
      const part = this.parts[0] as Buffer;
      const n = Math.min(part.length - this.offset, count - filled);
      part.copy(copy, filled, this.offset, this.offset + n);
      filled += n;
      this.skip(n);
    }
    return copy;
  }

  skip(count: number): void {
    this.offset += count;
    this.length -= count;
    while (this.parts.length > 0 && this.offset >= (this.parts[0] as Buffer).length) {
      this.offset -= (this.parts[0] as Buffer).length;
      this.parts.shift();
    }
  }
}
