import type { EcosystemDefinition, ExtractResult, LockfileInput } from '../types.js';
import { extractGradleLockfile, extractPom } from './extract.js';
import { compareMavenVersions } from './version.js';

function extractMaven(input: LockfileInput): ExtractResult {
  return input.path.endsWith('.lockfile') ? extractGradleLockfile(input) : extractPom(input);
}

export const mavenEcosystem: EcosystemDefinition = {
  title: 'Maven and Gradle (pom.xml, gradle.lockfile)',
  osvEcosystem: 'Maven',
  lockfileNames: ['pom.xml', 'gradle.lockfile', 'buildscript-gradle.lockfile'],
  extract: extractMaven,
  frameworks: [
    { package: 'org.springframework.boot:spring-boot', product: 'spring-boot', title: 'Spring Boot' },
    {
      package: 'org.springframework.boot:spring-boot-starter-parent',
      product: 'spring-boot',
      title: 'Spring Boot',
    },
    {
      package: 'org.springframework.boot:spring-boot-dependencies',
      product: 'spring-boot',
      title: 'Spring Boot',
    },
  ],
  compareVersions: compareMavenVersions,
};
