import type { EcosystemDefinition } from '../types.js';
import { extractGemfileLock } from './extract.js';
import { compareRubyGemsVersions } from './version.js';

export const rubygemsEcosystem: EcosystemDefinition = {
  title: 'RubyGems (Gemfile.lock)',
  osvEcosystem: 'RubyGems',
  lockfileNames: ['Gemfile.lock', 'gems.locked'],
  extract: extractGemfileLock,
  frameworks: [
    { package: 'rails', product: 'rails', title: 'Ruby on Rails' },
    { package: 'railties', product: 'rails', title: 'Ruby on Rails' },
  ],
  compareVersions: compareRubyGemsVersions,
};
