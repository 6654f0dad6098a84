import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { gitEnvironment, runGitText } from '../kernel/index.js';
import { SourceControlError } from './errors.js';

let batchCommandSupport: Promise<boolean> | undefined;

/** True when the installed git has `cat-file --batch-command` (2.36 and later). */
export function supportsBatchCommand(cwd: string): Promise<boolean> {
  batchCommandSupport ??= runGitText(cwd, ['version'])
    .then((text) => {
      const match = /(\d+)\.(\d+)/.exec(text);
      return match !== null && (Number(match[1]) > 2 || (Number(match[1]) === 2 && Number(match[2]) >= 36));
    })
    .catch(() => false);
  return batchCommandSupport;
}

/** Opens a reader in the fastest mode the installed git supports. */
export async function openObjectReader(cwd: string): Promise<ObjectReader> {
  return new ObjectReader(cwd, { batchCommand: await supportsBatchCommand(cwd) });
}

export interface GitObject {
  oid: string;
  type: 'commit' | 'tree' | 'blob' | 'tag';
  content: Buffer;
}

interface PendingRead {
  spec: string;
  resolve(object: GitObject | undefined): void;
  reject(error: unknown): void;
}

/** Objects larger than this are refused (a commit or tag this big is hostile, not history). */
const defaultMaxObjectBytes = 16 * 1024 * 1024;
const objectTypes = new Set(['commit', 'tree', 'blob', 'tag']);

/**
 * One long-lived `git cat-file --batch` process. Reads are answered in the order asked, so many
 * can be in flight at once; callers bound how many (the history walk keeps a window).
 */
export class ObjectReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: PendingRead[] = [];
  private readonly maxObjectBytes: number;
  private parts: Buffer[] = [];
  private total = 0;
  private header: { oid: string; type: GitObject['type']; size: number } | undefined;
  private failure: SourceControlError | undefined;
  private stderr = '';
  private readonly exited: Promise<void>;

  private readonly commandMode: boolean;

  /**
   * With `batchCommand` (git 2.36 and later), git buffers its output and flushes once per
   * `readMany`, instead of once per object: many fewer pipe writes on a long walk.
   */
  constructor(cwd: string, options: { maxObjectBytes?: number; batchCommand?: boolean } = {}) {
    this.maxObjectBytes = options.maxObjectBytes ?? defaultMaxObjectBytes;
    this.commandMode = options.batchCommand === true;
    const mode = this.commandMode ? ['--batch-command', '--buffer'] : ['--batch'];
    this.child = spawn('git', ['-c', 'core.quotepath=off', '--no-pager', 'cat-file', ...mode], {
      cwd,
      env: gitEnvironment(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    this.child.stdin.on('error', () => {
      // git may exit first (a corrupt object); the exit handler reports it.
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.fail(
          new SourceControlError('SOURCE_CONTROL_HISTORY_UNREADABLE', `git could not run: ${error.message}`, {
            cause: error,
          }),
        );
        resolve();
      });
      this.child.on('close', (code) => {
        const first = this.pending[0];
        if (first) {
          const reason = this.stderr.trim().split('\n')[0]?.slice(0, 300) ?? '';
          this.fail(
            new SourceControlError(
              'SOURCE_CONTROL_OBJECT_CORRUPT',
              `git cat-file stopped (exit ${code}) while reading ${first.spec}: ${reason}`,
              { location: { path: first.spec } },
            ),
          );
        }
        resolve();
      });
    });
  }

  /** Reads one object by id or revision expression (`<commit>:<path>`); undefined when missing. */
  read(spec: string): Promise<GitObject | undefined> {
    return this.readMany([spec])[0] as Promise<GitObject | undefined>;
  }

  /** Reads many objects with one write to git; the answers come in the same order. */
  readMany(specs: readonly string[]): Promise<GitObject | undefined>[] {
    const failure = this.failure;
    if (failure) return specs.map(() => Promise.reject(failure));
    const bad = specs.find((spec) => spec.length === 0 || spec.length > 4096 || /[\n\r\0]/.test(spec));
    if (bad !== undefined) {
      const error = new SourceControlError('SOURCE_CONTROL_OBJECT_MISSING', 'invalid object name', {
        location: { path: bad.slice(0, 80) },
      });
      return specs.map(() => Promise.reject(error));
    }
    const reads = specs.map(
      (spec) =>
        new Promise<GitObject | undefined>((resolve, reject) => {
          this.pending.push({ spec, resolve, reject });
        }),
    );
    const lines = this.commandMode
      ? `${specs.map((spec) => `contents ${spec}\n`).join('')}flush\n`
      : specs.map((spec) => `${spec}\n`).join('');
    this.child.stdin.write(lines);
    return reads;
  }

  /** Ends the process; reads still pending fail. */
  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.pending.length > 0) this.child.kill('SIGTERM');
    await this.exited;
  }

  private fail(error: SourceControlError): void {
    this.failure ??= error;
    for (const read of this.pending.splice(0)) read.reject(error);
    this.child.kill('SIGKILL');
  }

  private joined(): Buffer {
    if (this.parts.length !== 1) this.parts = [Buffer.concat(this.parts, this.total)];
    return this.parts[0] as Buffer;
  }

  private keep(rest: Buffer): void {
    this.parts = rest.length > 0 ? [rest] : [];
    this.total = rest.length;
  }

  private receive(chunk: Buffer): void {
    if (this.failure) return;
    this.parts.push(chunk);
    this.total += chunk.length;
    for (;;) {
      if (!this.header) {
        if (this.total === 0) return;
        const data = this.joined();
        const newline = data.indexOf(10);
        if (newline === -1) {
          if (this.total > 8192) this.fail(this.corrupt('an unreadable object header'));
          return;
        }
        const line = data.subarray(0, newline).toString('utf8');
        this.keep(data.subarray(newline + 1));
        const read = this.pending.shift();
        if (!read) {
          this.fail(this.corrupt('output nobody asked for'));
          return;
        }
        const fields = line.split(' ');
        if (fields.length === 2 && (fields[1] === 'missing' || fields[1] === 'ambiguous')) {
          read.resolve(undefined);
          continue;
        }
        const size = Number(fields[2]);
        const type = fields[1] ?? '';
        if (fields.length !== 3 || !objectTypes.has(type) || !Number.isSafeInteger(size) || size < 0) {
          this.pending.unshift(read);
          this.fail(this.corrupt(`an unexpected header for ${read.spec}`));
          return;
        }
        if (size > this.maxObjectBytes) {
          this.pending.unshift(read);
          this.fail(
            new SourceControlError(
              'SOURCE_CONTROL_OBJECT_CORRUPT',
              `object ${read.spec} is ${size} bytes, more than the ${this.maxObjectBytes} allowed`,
              { location: { path: read.spec } },
            ),
          );
          return;
        }
        this.pending.unshift(read);
        this.header = { oid: fields[0] ?? '', type: type as GitObject['type'], size };
      }
      if (this.total < this.header.size + 1) return;
      const data = this.joined();
      // A view, not a copy: readers parse an object and drop it, so the chunk is soon released
      // (copying every object was a tenth of the walk's time).
      const content = data.subarray(0, this.header.size);
      this.keep(data.subarray(this.header.size + 1));
      const { oid, type } = this.header;
      this.header = undefined;
      this.pending.shift()?.resolve({ oid, type, content });
    }
  }

  private corrupt(what: string): SourceControlError {
    return new SourceControlError('SOURCE_CONTROL_OBJECT_CORRUPT', `git cat-file printed ${what}`);
  }
}
