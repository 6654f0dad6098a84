import { describe, expect, it } from 'vitest';
import { extractGemfileLock } from './extract.js';

const lock = `GEM
  remote: https://example.invalid/
  specs:
    actionpack (7.0.4)
      rack (~> 2.0)
    nokogiri (1.15.0-x86_64-linux)
    rack (2.2.8)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  actionpack
  nokogiri (>= 1.0)

CHECKSUMS
  rack (2.2.8) sha256=${'c'.repeat(64)}

BUNDLED WITH
   2.5.3
`;

describe('Gemfile.lock', () => {
  it('reads specs, platforms stripped, direct gems and checksums', () => {
    const { packages } = extractGemfileLock({ path: 'Gemfile.lock', text: lock });
    expect(packages.map((item) => [item.name, item.version, item.direct, item.location.line])).toEqual([
      ['actionpack', '7.0.4', true, 4],
      ['nokogiri', '1.15.0', true, 6],
      ['rack', '2.2.8', false, 7],
    ]);
    expect(packages[0]?.dependencies).toEqual(['rack@2.2.8']);
    expect(packages[2]?.integrity).toBe(`sha256:${'c'.repeat(64)}`);
    expect(packages[0]?.purl).toBe('pkg:gem/actionpack@7.0.4');
  });

  it('rejects an unreadable spec line', () => {
    expect(() =>
      extractGemfileLock({ path: 'Gemfile.lock', text: 'GEM\n  specs:\n    broken line here\n' }),
    ).toThrowError(
      expect.objectContaining({ code: 'LOCKFILE_MALFORMED', location: { path: 'Gemfile.lock', line: 3 } }),
    );
  });
});
