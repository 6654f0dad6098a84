import { streamGitTokens } from './git-stream.js';

/** A working-tree file git reports unchanged from HEAD's blob at the same path. */
export interface UnchangedFile {
  oid: string;
  /** The blob's size: a file of another size is not that blob, whatever the index says. */
  size: number;
}

/**
 * Working-tree files (paths relative to `root`) whose content git's index says is HEAD's blob:
 * the index entry is HEAD's blob and `git ls-files --modified` does not list the file. A file
 * git cannot vouch for (stat changed, staged, conflicted, no HEAD) is left out and is read.
 * The caller still compares the file's size with the blob's, so a clean/smudge filter or line
 * ending conversion (which change the bytes on disk) sends the file to be read. See decision 0011
 * for what this trusts.
 */
export async function listUnchangedFiles(root: string): Promise<Map<string, UnchangedFile>> {
  // Three independent questions, asked of git at once: each waits on its own process.
  const head = new Map<string, UnchangedFile>();
  const staged = new Map<string, string>();
  const modified = new Set<string>();
  await Promise.all([
    // "<mode> blob <oid> <size>\t<path>"
    streamGitTokens(root, ['ls-tree', '-r', '-l', '-z', 'HEAD'], (token) => {
      const text = token.toString('utf8');
      const tab = text.indexOf('\t');
      const [mode, type, oid, size] = text.slice(0, tab).split(/ +/);
      if (type !== 'blob' || !oid || mode === '120000') return;
      head.set(text.slice(tab + 1), { oid, size: Number(size) });
    }),
    // "<tag> <mode> <oid> <stage>\t<path>": only stage 0 entries with the tag "H" (assume-unchanged
    // and skip-worktree entries, whose files git does not look at, are not).
    streamGitTokens(root, ['ls-files', '-v', '--stage', '-z'], (token) => {
      const text = token.toString('utf8');
      const tab = text.indexOf('\t');
      const [tag, , oid, stage] = text.slice(0, tab).split(' ');
      if (tag === 'H' && stage === '0' && oid) staged.set(text.slice(tab + 1), oid);
    }),
    streamGitTokens(root, ['ls-files', '--modified', '--deleted', '-z'], (token) => {
      modified.add(token.toString('utf8'));
    }),
  ]);
  // Unchanged: the index entry is HEAD's blob, and git does not list the file as modified.
  const unchanged = new Map<string, UnchangedFile>();
  for (const [path, oid] of staged) {
    const committed = head.get(path);
    if (committed && committed.oid === oid && !modified.has(path)) unchanged.set(path, committed);
  }
  return unchanged;
}
