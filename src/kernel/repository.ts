import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type ErrorKinds, errorWithKinds } from './errors.js';
import { runGit, runGitText } from './git.js';
import type { AssessmentProblem } from './model.js';
import { redactText } from './redaction.js';
import { describeBytes, readRepositoryFile } from './safe-read.js';

export type RepositoryErrorCode = 'REPOSITORY_NOT_FOUND' | 'REPOSITORY_NOT_A_DIRECTORY';

/** The kind of each code, which decides the exit code. */
const repositoryErrorKinds: ErrorKinds<RepositoryErrorCode> = {
  REPOSITORY_NOT_FOUND: 'usage',
  REPOSITORY_NOT_A_DIRECTORY: 'usage',
};

export class RepositoryError extends errorWithKinds(repositoryErrorKinds) {}

/** Files larger than this are read only up to this size (and said to be truncated). */
export const defaultMaxReadBytes = 2 * 1024 * 1024;
/** A walk of a folder that is not a git repository stops after this many files, and says so. */
const maxWalkedFiles = 200_000;
/** The problem that says the walk stopped: whatever reads every file then read only some. */
export const listingCutCode = 'REPOSITORY_TOO_MANY_FILES';
/** Folders a non-git walk never enters: dependency and build caches, not the project's own files. */
const skippedFolders = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  'target',
  'vendor',
]);

export interface TextFile {
  path: string;
  text: string;
  /** The file was larger than the read limit; `text` is its beginning. */
  truncated: boolean;
  size: number;
}

export interface GitInfo {
  head?: string;
  branch?: string;
  shallow: boolean;
  dirty: boolean;
}

/**
 * What every collector sees of the repository: its file list (read once), bounded reads, git.
 * Paths are relative, with forward slashes. Problems met while reading (unreadable or binary
 * files) are collected in `problems` so that nothing is skipped silently. Text comes back with
 * credentials already redacted (see kernel/redaction.ts), and file paths with credentials in
 * them are redacted by the output boundary.
 */
export class RepositorySnapshot {
  readonly root: string;
  readonly displayPath: string;
  readonly files: readonly string[];
  readonly git: GitInfo | undefined;
  readonly problems: AssessmentProblem[] = [];
  private readonly fileSet: ReadonlySet<string>;
  private readonly textCache = new Map<string, Promise<TextFile | undefined>>();

  private constructor(root: string, displayPath: string, files: string[], git: GitInfo | undefined) {
    this.root = root;
    this.displayPath = displayPath;
    this.files = files;
    this.fileSet = new Set(files);
    this.git = git;
  }

  /**
   * Opens a folder: a git work tree (tracked plus untracked-not-ignored files) or a plain folder,
   * whose walk stops after `maxWalkedFiles` files and says so (REPOSITORY_TOO_MANY_FILES).
   */
  static async open(path: string, options: { maxWalkedFiles?: number } = {}): Promise<RepositorySnapshot> {
    let root: string;
    try {
      root = await realpath(path);
    } catch (error) {
      throw new RepositoryError('REPOSITORY_NOT_FOUND', `no such folder: ${path}`, { cause: error });
    }
    if (!(await stat(root)).isDirectory()) {
      throw new RepositoryError('REPOSITORY_NOT_A_DIRECTORY', `not a folder: ${path}`);
    }
    const git = await readGitInfo(root);
    const problems: AssessmentProblem[] = [];
    const files = git
      ? await listGitFiles(root)
      : await walkFiles(root, problems, options.maxWalkedFiles ?? maxWalkedFiles);
    const snapshot = new RepositorySnapshot(root, path, files.sort(), git);
    snapshot.problems.push(...problems);
    if (git?.shallow) {
      snapshot.problems.push({
        severity: 'warning',
        code: 'REPOSITORY_SHALLOW',
        message: 'the clone is shallow: history-based evidence covers only the fetched commits',
      });
    }
    return snapshot;
  }

  get isGitRepository(): boolean {
    return this.git !== undefined;
  }

  has(path: string): boolean {
    return this.fileSet.has(path);
  }

  /** Files whose path matches the test, in sorted order. */
  filter(test: (path: string) => boolean): string[] {
    return this.files.filter(test);
  }

  /** Files whose base name (last path segment) is one of `names`. */
  filesNamed(...names: string[]): string[] {
    const wanted = new Set(names);
    return this.files.filter((path) => wanted.has(baseName(path)));
  }

  /**
   * Reads a file as UTF-8 text, at most `maxBytes`. Returns undefined for binary files and for
   * files that cannot be read; both are recorded as problems, once.
   */
  readText(path: string, maxBytes = defaultMaxReadBytes): Promise<TextFile | undefined> {
    return this.readCached(path, maxBytes, true);
  }

  /**
   * The text as it is, credentials included: only for collectors whose job is to look for
   * credentials in content (sensitive-files), which report a line, never the value. A test
   * holds the list of callers; everyone else reads through `readText`.
   */
  readUnredactedText(path: string, maxBytes = defaultMaxReadBytes): Promise<TextFile | undefined> {
    return this.readCached(path, maxBytes, false);
  }

  /**
   * Only the first `maxBytes` of a file, on purpose (to tell a file's kind from its first lines):
   * a longer file is not a problem here, since nothing judges what was left unread.
   */
  readHead(path: string, maxBytes: number): Promise<TextFile | undefined> {
    return this.readCached(path, maxBytes, true, 'head');
  }

  private readCached(
    path: string,
    maxBytes: number,
    redacted: boolean,
    extent: 'whole' | 'head' = 'whole',
  ): Promise<TextFile | undefined> {
    const key = `${redacted ? 'r' : 'u'}:${extent}:${maxBytes}:${path}`;
    let cached = this.textCache.get(key);
    if (!cached) {
      cached = this.readTextUncached(path, maxBytes, extent).then((file) =>
        // The redaction boundary at the source: a collector never holds a credential it could
        // quote into a finding, a warning or an error, however it slices the line.
        file && redacted ? { ...file, text: redactText(file.text) } : file,
      );
      this.textCache.set(key, cached);
    }
    return cached;
  }

  /** Runs git in the repository; only call when `isGitRepository`. */
  gitText(args: readonly string[]): Promise<string> {
    return runGitText(this.root, args);
  }

  private async readTextUncached(
    path: string,
    maxBytes: number,
    extent: 'whole' | 'head',
  ): Promise<TextFile | undefined> {
    const read = await readRepositoryFile(this.root, path, { maxBytes });
    if (!read.ok) {
      const severity =
        read.code === 'FILE_UNREADABLE' || read.code === 'FILE_READ_TIMEOUT' ? 'error' : 'warning';
      this.report(severity, read.code, `${path} was not read: ${read.reason}`, path);
      return undefined;
    }
    if (read.bytes.subarray(0, 8000).includes(0)) {
      this.report('warning', 'FILE_BINARY', `${path} looks binary and was not read as text`, path);
      return undefined;
    }
    if (read.truncated && extent === 'whole') {
      // Whatever depends on this file saw only its beginning: said here, once, for every reader.
      this.report(
        'error',
        'FILE_TOO_LARGE',
        `${path} is larger than ${describeBytes(maxBytes)}; only its beginning was read`,
        path,
      );
    }
    return { path, text: read.bytes.toString('utf8'), truncated: read.truncated, size: read.size };
  }

  private report(severity: 'error' | 'warning', code: string, message: string, path: string): void {
    this.problems.push({ severity, code, message, location: { path } });
  }
}

export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

async function readGitInfo(root: string): Promise<GitInfo | undefined> {
  let topLevel: string;
  try {
    topLevel = await runGitText(root, ['rev-parse', '--show-toplevel']);
  } catch {
    return undefined;
  }
  // A folder inside another repository's work tree is assessed as that folder, not as the repository.
  if ((await realpath(topLevel)) !== root) return undefined;
  const [head, branch, shallow, status] = await Promise.all([
    runGitText(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => ''),
    runGitText(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => ''),
    runGitText(root, ['rev-parse', '--is-shallow-repository']).catch(() => 'false'),
    runGitText(root, ['status', '--porcelain', '--untracked-files=no']).catch(() => ''),
  ]);
  const info: GitInfo = { shallow: shallow === 'true', dirty: status.length > 0 };
  if (head) info.head = head;
  if (branch) info.branch = branch;
  return info;
}

async function listGitFiles(root: string): Promise<string[]> {
  const output = await runGit(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  const unique = new Set(
    output
      .toString('utf8')
      .split('\0')
      .filter((path) => path.length > 0),
  );
  return [...unique];
}

async function walkFiles(root: string, problems: AssessmentProblem[], limit: number): Promise<string[]> {
  const files: string[] = [];
  /** Links and special files (FIFOs, sockets, devices): never followed or read here, but said. */
  const passedOver: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      const path = relative(root, folder).split(sep).join('/') || '.';
      const reason = (error as NodeJS.ErrnoException).code ?? 'read failed';
      problems.push({
        severity: 'error',
        code: 'FOLDER_UNREADABLE',
        message: `${path} could not be listed (${reason})`,
        location: { path },
      });
      continue;
    }
    for (const entry of entries) {
      const absolute = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) pending.push(absolute);
      } else if (entry.isFile()) {
        files.push(relative(root, absolute).split(sep).join('/'));
        if (files.length >= limit) {
          problems.push({
            severity: 'warning',
            code: listingCutCode,
            message: `listing stopped at ${limit} files; the rest of the folder was not assessed`,
          });
          return files;
        }
      } else {
        passedOver.push(relative(root, absolute).split(sep).join('/'));
      }
    }
  }
  if (passedOver.length > 0) {
    const examples = passedOver.slice(0, 5).join(', ');
    problems.push({
      severity: 'warning',
      code: 'FILES_NOT_READ',
      message: `${passedOver.length} link(s) or special file(s) were not followed or read (outside git, only regular files are assessed): ${examples}${passedOver.length > 5 ? ', …' : ''}`,
    });
  }
  return files;
}
