import type { RepositorySnapshot } from '../../kernel/index.js';
import { type CodeownersCoverage, measureCoverage } from './coverage.js';
import { type CodeownersRule, type InvalidLine, parseCodeowners } from './parse.js';
import { PatternListError } from './pattern-list.js';

/** Where forges look for CODEOWNERS, in GitHub's order of precedence (GitLab's location last). */
export const codeownersLocations = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
  '.gitlab/CODEOWNERS',
] as const;

/** GitHub ignores CODEOWNERS files larger than 3 MB; we read at most this much. */
const maxCodeownersBytes = 3 * 1024 * 1024;

export interface CodeownersFile {
  path: string;
  /** False when the file is listed but could not be read as text (a problem is recorded). */
  readable: boolean;
  truncated: boolean;
  rules: CodeownersRule[];
  invalidLines: InvalidLine[];
  /** Other CODEOWNERS files, which the forge ignores because this one wins. */
  shadowed: string[];
}

export interface CodeownersFacts {
  file?: CodeownersFile;
  /** Set when the file was read; measured over every file of the snapshot. */
  coverage?: CodeownersCoverage;
  /** Why coverage could not be measured although the file was read. */
  coverageProblem?: string;
  totalFiles: number;
}

/** Reads the CODEOWNERS file the forge uses and measures its coverage over the snapshot's files. */
export async function readCodeowners(repository: RepositorySnapshot): Promise<CodeownersFacts> {
  const present = codeownersLocations.filter((path) => repository.has(path));
  const [path, ...shadowed] = present;
  if (path === undefined) return { totalFiles: repository.files.length };
  const text = await repository.readText(path, maxCodeownersBytes);
  if (!text) {
    return {
      file: { path, readable: false, truncated: false, rules: [], invalidLines: [], shadowed },
      totalFiles: repository.files.length,
    };
  }
  const parsed = parseCodeowners(text.text);
  const facts: CodeownersFacts = {
    file: { path, readable: true, truncated: text.truncated, ...parsed, shadowed },
    totalFiles: repository.files.length,
  };
  try {
    facts.coverage = measureCoverage(parsed.rules, repository.files);
  } catch (error) {
    if (!(error instanceof PatternListError)) throw error;
    facts.coverageProblem = error.message;
    repository.problems.push({
      severity: 'warning',
      code: error.code,
      message: `${path}: coverage not measured, ${error.message}`,
      location: { path },
    });
  }
  return facts;
}
