import type { EcosystemDefinition, ExtractResult, LockfileInput } from '../types.js';
import { extractPipfileLock, extractRequirements, extractTomlLock, isRequirementsFile } from './extract.js';
import { comparePypiVersions } from './version.js';

function extractPython(input: LockfileInput): ExtractResult {
  const name = input.path.split('/').pop() ?? input.path;
  if (name === 'poetry.lock') return extractTomlLock(input, 'poetry');
  if (name === 'uv.lock') return extractTomlLock(input, 'uv');
  if (name === 'pdm.lock') return extractTomlLock(input, 'pdm');
  if (name === 'Pipfile.lock') return extractPipfileLock(input);
  return extractRequirements(input);
}

export const pypiEcosystem: EcosystemDefinition = {
  title: 'PyPI (requirements*.txt, poetry.lock, Pipfile.lock, uv.lock, pdm.lock)',
  osvEcosystem: 'PyPI',
  lockfileNames: ['poetry.lock', 'Pipfile.lock', 'uv.lock', 'pdm.lock'],
  matchesLockfile: isRequirementsFile,
  extract: extractPython,
  frameworks: [{ package: 'django', product: 'django', title: 'Django' }],
  compareVersions: comparePypiVersions,
};
export { isRequirementsFile, normalizePypiName } from './extract.js';
