import type { RepositorySnapshot } from '../../kernel/repository.js';
import { type CodeownersFacts, readCodeowners } from '../../source-control/codeowners/read.js';

export type { CodeownersFacts, CodeownersFile } from '../../source-control/codeowners/read.js';

export function collectCodeowners(repository: RepositorySnapshot): Promise<CodeownersFacts> {
  return readCodeowners(repository);
}
