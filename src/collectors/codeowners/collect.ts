import type { RepositorySnapshot } from '../../kernel/index.js';
import { type CodeownersFacts, readCodeowners } from '../../source-control/index.js';

export type { CodeownersFacts, CodeownersFile } from '../../source-control/index.js';

export function collectCodeowners(repository: RepositorySnapshot): Promise<CodeownersFacts> {
  return readCodeowners(repository);
}
