import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ecosystems } from './index.js';
import type { CompareVersions } from './types.js';

const corpus = fileURLToPath(new URL('../../../shared/corpora/version-compare/', import.meta.url));
const present = existsSync(corpus);
if (!present) console.warn(`version-compare conformance skipped: ${corpus} is absent`);

/** Which corpus file holds each ecosystem's cases. */
const corpusFiles: Record<string, string> = {
  npm: 'semver-versions.txt',
  pnpm: 'semver-versions.txt',
  yarn: 'semver-versions.txt',
  cargo: 'semver-versions.txt',
  go: 'semver-versions.txt',
  pypi: 'pypi-versions.txt',
  maven: 'maven-versions.txt',
  rubygems: 'rubygems-versions.txt',
  nuget: 'nuget-versions.txt',
  composer: 'packagist-versions.txt',
  debian: 'debian-versions.txt',
};

interface Case {
  line: number;
  left: string;
  operator: '<' | '=' | '>';
  right: string;
}

/** Lines are `A <|=|> B`; `#` and `//` start comments. */
function readCases(file: string): Case[] {
  const cases: Case[] = [];
  for (const [index, raw] of readFileSync(`${corpus}${file}`, 'utf8').split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    const match = /^(\S+) ([<=>]) (\S+)$/.exec(line);
    if (!match) throw new Error(`${file}:${index + 1}: cannot read "${line}"`);
    cases.push({
      line: index + 1,
      left: match[1] as string,
      operator: match[2] as Case['operator'],
      right: match[3] as string,
    });
  }
  return cases;
}

function failures(compare: CompareVersions, cases: readonly Case[], file: string): string[] {
  const wrong: string[] = [];
  for (const item of cases) {
    const expected = item.operator === '<' ? -1 : item.operator === '>' ? 1 : 0;
    const forward = Math.sign(compare(item.left, item.right));
    const backward = Math.sign(compare(item.right, item.left));
    if (forward !== expected || backward !== -expected) {
      wrong.push(
        `${file}:${item.line}: ${item.left} ${item.operator} ${item.right} (got ${forward}/${backward})`,
      );
    }
  }
  return wrong;
}

describe.skipIf(!present)('version ordering conformance (../shared/corpora/version-compare)', () => {
  it('covers every registered ecosystem', () => {
    expect(Object.keys(corpusFiles).sort()).toEqual(Object.keys(ecosystems).sort());
  });

  for (const [id, file] of Object.entries(corpusFiles)) {
    it(`${id}: every comparison in ${file}, both ways`, () => {
      const ecosystem = ecosystems[id];
      if (!ecosystem) throw new Error(`${id} is not registered`);
      const cases = readCases(file);
      expect(cases.length).toBeGreaterThan(20);
      expect(failures(ecosystem.compareVersions, cases, file)).toEqual([]);
    });
  }
});
