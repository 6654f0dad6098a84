import { describe, expect, it } from 'vitest';
import { extractComposerLock } from './extract.js';

const lock = JSON.stringify(
  {
    packages: [
      {
        name: 'symfony/http-kernel',
        version: 'v5.4.20',
        dist: { shasum: 'abc' },
        require: { 'psr/log': '^1' },
      },
      { name: 'psr/log', version: '1.1.4' },
    ],
    'packages-dev': [{ name: 'phpunit/phpunit', version: '9.6.0' }],
  },
  null,
  4,
);

describe('composer.lock', () => {
  it('reads prod and dev packages, direct ones from composer.json', () => {
    const { packages } = extractComposerLock({
      path: 'composer.lock',
      text: lock,
      readSibling: (name) =>
        name === 'composer.json'
          ? '{"require":{"symfony/http-kernel":"^5"},"require-dev":{"phpunit/phpunit":"^9"}}'
          : undefined,
    });
    expect(
      packages.map((item) => [item.name, item.version, item.direct, item.scope, item.location.line]),
    ).toEqual([
      ['symfony/http-kernel', 'v5.4.20', true, 'prod', 4],
      ['psr/log', '1.1.4', false, 'prod', 14],
      ['phpunit/phpunit', '9.6.0', true, 'dev', 20],
    ]);
    expect(packages[0]).toMatchObject({
      purl: 'pkg:composer/symfony/http-kernel@v5.4.20',
      integrity: 'sha1:abc',
      dependencies: ['psr/log@1.1.4'],
    });
  });

  it('rejects a package without a version', () => {
    expect(() =>
      extractComposerLock({ path: 'composer.lock', text: '{"packages":[{"name":"a/b"}]}' }),
    ).toThrowError(expect.objectContaining({ code: 'LOCKFILE_MALFORMED' }));
  });
});
