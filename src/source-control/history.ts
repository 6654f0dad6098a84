import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { GitError, runGitText } from '../kernel/index.js';
import { findRequestReference, type RequestReference } from './classify.js';
import { type Identity, parseCommit, type SignatureKind } from './commit.js';
import { type DefaultBranch, resolveDefaultBranch } from './default-branch.js';
import { SourceControlError } from './errors.js';
import { openObjectReader } from './object-reader.js';
import { classifySensitivePath, type SensitiveCategory } from './sensitive-paths.js';
import { streamGitTokens } from './stream.js';
import { parseTrailers, type Trailer } from './trailers.js';

/** Which changes to read: the last N first-parent commits, those since a date, or both limits. */
export interface HistoryWindow {
  last?: number;
  /** YYYY-MM-DD (UTC midnight) or an ISO-8601 time. */
  since?: string;
}

export interface SensitivePath {
  path: string;
  category: SensitiveCategory;
}

/** One change that reached the default branch: a first-parent commit, as read from its raw object. */
export interface Change {
  commit: string;
  parents: string[];
  author: Identity;
  /** Seconds since the epoch. */
  authorTime: number;
  committer: Identity;
  committerTime: number;
  subject: string;
  trailers: Trailer[];
  /** A pull/merge request named in the message (merge subject, squash suffix, review system line). */
  request?: RequestReference;
  /** For a merge: the author of the merged branch's tip, who wrote the change. */
  mergedAuthor?: Identity;
  signature?: { kind: SignatureKind; header: string };
  /** Signed tags merged by this commit (`mergetag` headers). */
  mergeTagCount: number;
  /** Sensitive paths changed against the first parent (see sensitive-paths.ts). */
  sensitivePaths?: SensitivePath[];
}

export interface History {
  root: string;
  branch: DefaultBranch;
  window: HistoryWindow;
  changes: Change[];
  shallow: boolean;
  /** True when the walk stopped at a shallow boundary, so the window is not complete. */
  partial: boolean;
  /** Commits whose parents are cut (shallow boundary or `info/grafts`), in the window. */
  graftedCommits: string[];
}

export interface ReadHistoryOptions {
  defaultBranch?: string;
  window: HistoryWindow;
  /** Read which sensitive paths each change touched (one `git log --name-only` pass); default true. */
  paths?: boolean;
}

/** Most changes read in one walk; larger windows are refused rather than exhausting memory. */
export const maxWindowChanges = 2_000_000;
const chunkSize = 512;
const maxSensitivePathsPerChange = 200;

/**
 * Reads the default branch's first-parent history: ids from one `git rev-list`, raw commit
 * objects through one `git cat-file --batch` process (never `git log --show-signature`), paths
 * from one `git log --name-only` pass running alongside.
 */
export async function readHistory(root: string, options: ReadHistoryOptions): Promise<History> {
  const window = validateWindow(options.window);
  const branch = await resolveDefaultBranch(root, options.defaultBranch);
  const limits = windowArguments(window);
  // The path pass is the walk's longest part (git diffs every change's tree): start it first, so
  // that it runs while the ids are listed and the commits read.
  const pathsByCommit = options.paths === false ? undefined : readChangedPaths(root, [...limits, branch.ref]);
  // Keep the path reader's failure from being unhandled while commits are read.
  pathsByCommit?.catch(() => {});
  const [shallowCommits, ids] = await Promise.all([
    readShallowCommits(root),
    listFirstParentIds(root, [...limits, branch.ref]),
  ]);

  const reader = await openObjectReader(root);
  const changes: Change[] = [];
  try {
    // Ask for the next chunk before parsing this one, so git and the parser work at the same time.
    let next = reader.readMany(ids.slice(0, chunkSize));
    for (let start = 0; start < ids.length; start += chunkSize) {
      const chunk = ids.slice(start, start + chunkSize);
      const current = next;
      next =
        start + chunkSize < ids.length
          ? reader.readMany(ids.slice(start + chunkSize, start + 2 * chunkSize))
          : [];
      for (const pending of next) pending.catch(() => {});
      const objects = await Promise.all(current);
      const merged: { change: Change; parent: string }[] = [];
      for (const [index, object] of objects.entries()) {
        const id = chunk[index] as string;
        if (object?.type !== 'commit') {
          throw new SourceControlError(
            object ? 'SOURCE_CONTROL_OBJECT_CORRUPT' : 'SOURCE_CONTROL_OBJECT_MISSING',
            object
              ? `${id} is a ${object.type}, not a commit`
              : `commit ${id} is missing from the object store`,
            { location: { path: id } },
          );
        }
        const change = toChange(parseCommit(id, object.content));
        changes.push(change);
        const second = change.parents[1];
        if (second) merged.push({ change, parent: second });
      }
      const tips = await Promise.all(reader.readMany(merged.map(({ parent }) => parent)));
      for (const [index, tip] of tips.entries()) {
        const entry = merged[index];
        // A shallow clone may lack the merged branch; the author is then unknown, not an error.
        if (entry && tip?.type === 'commit')
          entry.change.mergedAuthor = parseCommit(entry.parent, tip.content).author;
      }
    }
  } finally {
    await reader.close();
  }

  if (pathsByCommit) {
    const paths = await pathsByCommit;
    for (const change of changes) {
      change.sensitivePaths = paths.get(change.commit) ?? [];
    }
  }
  const graftedCommits = changes
    .filter((change) => shallowCommits.has(change.commit))
    .map((change) => change.commit);
  const last = changes[changes.length - 1];
  return {
    root,
    branch,
    window,
    changes,
    shallow: shallowCommits.size > 0,
    partial: last !== undefined && shallowCommits.has(last.commit) && last.parents.length > 0,
    graftedCommits,
  };
}

export function toChange(commit: ReturnType<typeof parseCommit>): Change {
  const newline = commit.message.indexOf('\n');
  const subject = (newline === -1 ? commit.message : commit.message.slice(0, newline)).trim().slice(0, 300);
  const trailers = parseTrailers(commit.message);
  const change: Change = {
    commit: commit.oid,
    parents: commit.parents,
    author: commit.author,
    authorTime: commit.authorTime,
    committer: commit.committer,
    committerTime: commit.committerTime,
    subject,
    trailers,
    mergeTagCount: commit.mergeTags.length,
  };
  const request = findRequestReference(commit.message, trailers, commit.parents.length > 1);
  if (request) change.request = request;
  if (commit.signature) change.signature = { kind: commit.signature.kind, header: commit.signature.header };
  return change;
}

export function validateWindow(window: HistoryWindow): HistoryWindow {
  const result: HistoryWindow = {};
  if (window.last !== undefined) {
    if (!Number.isSafeInteger(window.last) || window.last < 1 || window.last > maxWindowChanges) {
      throw new SourceControlError(
        'SOURCE_CONTROL_INVALID_WINDOW',
        `the number of changes must be between 1 and ${maxWindowChanges} (got ${window.last})`,
      );
    }
    result.last = window.last;
  }
  if (window.since !== undefined) {
    const time = Date.parse(window.since);
    if (
      !/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(window.since) ||
      Number.isNaN(time) ||
      time >= Date.UTC(2100, 0, 1)
    ) {
      throw new SourceControlError(
        'SOURCE_CONTROL_INVALID_WINDOW',
        `the start date must be YYYY-MM-DD or an ISO-8601 time before 2100 (got ${JSON.stringify(window.since.slice(0, 40))})`,
      );
    }
    result.since = window.since;
  }
  if (result.last === undefined && result.since === undefined) result.last = maxWindowChanges;
  return result;
}

function windowArguments(window: HistoryWindow): string[] {
  const args: string[] = [];
  if (window.last !== undefined) args.push(`--max-count=${window.last}`);
  if (window.since !== undefined) {
    const since = window.since.length === 10 ? `${window.since}T00:00:00Z` : window.since;
    args.push(`--since=${new Date(Date.parse(since)).toISOString()}`);
  }
  return args;
}

async function listFirstParentIds(root: string, args: string[]): Promise<string[]> {
  let output: string;
  try {
    output = await runGitText(root, ['rev-list', '--first-parent', ...args, '--'], { timeoutMs: 300_000 });
  } catch (error) {
    const reason = error instanceof GitError ? error.message.split('\n')[0]?.slice(0, 300) : String(error);
    throw new SourceControlError(
      'SOURCE_CONTROL_HISTORY_UNREADABLE',
      `the history could not be walked: ${reason}`,
      {
        cause: error,
      },
    );
  }
  return output === '' ? [] : output.split('\n');
}

/** Commits named in the repository's `shallow` file: their parents were not fetched. */
async function readShallowCommits(root: string): Promise<Set<string>> {
  const path = await runGitText(root, ['rev-parse', '--git-path', 'shallow']).catch(() => '');
  if (path === '') return new Set();
  const text = await readFile(isAbsolute(path) ? path : join(root, path), 'utf8').catch(() => '');
  return new Set(text.split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line)));
}

/**
 * One `git log --first-parent --diff-merges=first-parent --name-only -z` pass: for each change,
 * the sensitive paths it touched (only those are kept). Glob pathspecs were tried to let git
 * prune the diff: with `**` and icase they made the walk 40 times slower, so JS filters instead.
 */
async function readChangedPaths(root: string, args: string[]): Promise<Map<string, SensitivePath[]>> {
  const byCommit = new Map<string, SensitivePath[]>();
  let current: SensitivePath[] | undefined;
  try {
    await streamGitTokens(
      root,
      [
        'log',
        '--first-parent',
        '--diff-merges=first-parent',
        '--name-only',
        '-z',
        '--format=%x01%H',
        ...args,
        '--',
      ],
      (token) => {
        if (token[0] === 0x01) {
          current = [];
          byCommit.set(token.subarray(1).toString('latin1'), current);
          return;
        }
        if (!current) return;
        const path = (token[0] === 0x0a ? token.subarray(1) : token).toString('utf8');
        if (path === '') return;
        const category = classifySensitivePath(path);
        if (category && current.length < maxSensitivePathsPerChange) current.push({ path, category });
      },
    );
  } catch (error) {
    throw new SourceControlError(
      'SOURCE_CONTROL_HISTORY_UNREADABLE',
      `the changed paths could not be read: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`,
      { cause: error },
    );
  }
  return byCommit;
}
