import { describe, expect, it } from 'vitest';
import { extractGoMod, extractGoSum } from './extract.js';
import { compareGoVersions, parsePseudoVersion } from './version.js';

const goMod = `module example.com/app

go 1.22

require github.com/pkg/errors v0.9.1

require (
	golang.org/x/text v0.3.7 // indirect
	github.com/old/mod v1.0.0
)

replace github.com/old/mod => github.com/new/mod v1.1.0
`;
const goSum = `github.com/pkg/errors v0.9.1 h1:errorshash=
github.com/pkg/errors v0.9.1/go.mod h1:modhash=
golang.org/x/text v0.3.7 h1:texthash=
`;

describe('go.mod and go.sum', () => {
  it('reads requires, indirect markers, replacements and go.sum hashes', () => {
    const { packages } = extractGoMod({
      path: 'go.mod',
      text: goMod,
      readSibling: (name) => (name === 'go.sum' ? goSum : undefined),
    });
    expect(
      packages.map((item) => [item.name, item.version, item.direct, item.location.line, item.integrity]),
    ).toEqual([
      ['github.com/pkg/errors', 'v0.9.1', true, 5, 'h1:errorshash='],
      ['golang.org/x/text', 'v0.3.7', false, 8, 'h1:texthash='],
      ['github.com/new/mod', 'v1.1.0', true, 9, undefined],
    ]);
    expect(packages[0]?.purl).toBe('pkg:golang/github.com/pkg/errors@v0.9.1');
  });

  it('reads go.sum alone, and nothing when go.mod is beside it', () => {
    expect(extractGoSum({ path: 'go.sum', text: goSum }).packages).toHaveLength(2);
    expect(extractGoSum({ path: 'go.sum', text: goSum, readSibling: () => goMod }).packages).toHaveLength(0);
  });

  it('orders pseudo-versions by time and reads them', () => {
    expect(
      compareGoVersions('v0.0.0-20200101000000-abcdefabcdef', 'v0.0.0-20210101000000-abcdefabcdef'),
    ).toBeLessThan(0);
    expect(compareGoVersions('v1.2.4-0.20210101000000-abcdefabcdef', 'v1.2.4')).toBeLessThan(0);
    expect(parsePseudoVersion('v0.0.0-20210102030405-abcdefabcdef')).toEqual({
      time: '2021-01-02T03:04:05Z',
      commit: 'abcdefabcdef',
    });
    expect(parsePseudoVersion('v1.2.3')).toBeUndefined();
  });
});
