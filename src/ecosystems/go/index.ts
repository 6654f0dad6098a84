import type { EcosystemDefinition, ExtractResult, LockfileInput } from '../types.js';
import { extractGoMod, extractGoSum } from './extract.js';
import { compareGoVersions } from './version.js';

function extractGo(input: LockfileInput): ExtractResult {
  return input.path.endsWith('go.sum') ? extractGoSum(input) : extractGoMod(input);
}

export const goEcosystem: EcosystemDefinition = {
  title: 'Go modules (go.mod, go.sum)',
  osvEcosystem: 'Go',
  lockfileNames: ['go.mod', 'go.sum'],
  extract: extractGo,
  compareVersions: compareGoVersions,
};
