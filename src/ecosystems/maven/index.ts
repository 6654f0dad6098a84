import type { EcosystemModule, ExtractResult, LockfileInput } from '../types.js';
import { extractGradleLockfile, extractPom } from './extract.js';
import { compareMavenVersions } from './version.js';

function extractMaven(input: LockfileInput): ExtractResult {
  return input.path.endsWith('.lockfile') ? extractGradleLockfile(input) : extractPom(input);
}

export const mavenEcosystem: EcosystemModule = {
  id: 'maven',
  title: 'Maven and Gradle (pom.xml, gradle.lockfile)',
  osvEcosystem: 'Maven',
  lockfileNames: ['pom.xml', 'gradle.lockfile', 'buildscript-gradle.lockfile'],
  extract: extractMaven,
  compareVersions: compareMavenVersions,
};
