import type { CodeownersRule } from './parse.js';
import { compilePatternList } from './pattern-list.js';

export interface UncoveredFolder {
  /** A top-level folder with a trailing `/`, or `(root)` for files at the top level. */
  folder: string;
  files: number;
}

export interface CodeownersCoverage {
  totalFiles: number;
  ownedFiles: number;
  /** The largest top-level folders holding files without an owner, largest first. */
  uncoveredFolders: UncoveredFolder[];
  /** How many top-level folders hold files without an owner in all. */
  uncoveredFolderCount: number;
}

export const rootFolder = '(root)';
const uncoveredFolderSample = 10;

/**
 * Which files have an owner. As on GitHub and GitLab, the last rule matching a file decides; a
 * rule without owners leaves its files unowned. Patterns are compiled once and each folder is
 * read once. Throws PatternListError when the patterns cost more than the work budget.
 */
export function measureCoverage(
  rules: readonly CodeownersRule[],
  files: readonly string[],
): CodeownersCoverage {
  const patterns = compilePatternList(rules.map((rule) => rule.pattern));
  let ownedFiles = 0;
  const uncovered = new Map<string, number>();
  for (const file of files) {
    const rule = rules[patterns.lastMatch(file)];
    if (rule && rule.owners.length > 0) {
      ownedFiles++;
      continue;
    }
    const slash = file.indexOf('/');
    const folder = slash === -1 ? rootFolder : file.slice(0, slash + 1);
    uncovered.set(folder, (uncovered.get(folder) ?? 0) + 1);
  }
  const uncoveredFolders = [...uncovered.entries()]
    .map(([folder, count]) => ({ folder, files: count }))
    .sort((a, b) => b.files - a.files || a.folder.localeCompare(b.folder))
    .slice(0, uncoveredFolderSample);
  return { totalFiles: files.length, ownedFiles, uncoveredFolders, uncoveredFolderCount: uncovered.size };
}
