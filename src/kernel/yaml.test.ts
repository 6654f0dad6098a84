import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { YAMLParseError } from 'yaml';
import { parseYamlDocument, parseYamlValue } from './yaml.js';

/**
 * A workflow whose step holds thousands of implicit keys on one line (`uses: uses: …`), then a
 * line less indented: the yaml package pops the nesting recursively (found by fuzzing).
 */
function deepLine(keys: number): string {
  return `on: [push]\njobs:\n  build:\n    steps:\n      - ${'uses: '.repeat(keys)}x\n  again: 1\n`;
}

describe('parseYamlDocument / parseYamlValue', () => {
  it('turns a line of thousands of implicit keys into a parse error, not a RangeError', () => {
    const text = deepLine(5_000);
    const document = parseYamlDocument(text);
    expect(document.errors[0]?.message).toContain('nests deeper than can be read');
    expect(() => parseYamlValue(text)).toThrow(YAMLParseError);
  });

  it('parses ordinary YAML as the yaml package does, and keeps its own errors', () => {
    expect(parseYamlDocument('a: 1\nb: [x, y]\n').toJS()).toEqual({ a: 1, b: ['x', 'y'] });
    expect(parseYamlValue('jobs:\n  build:\n    steps:\n      - uses: x\n')).toEqual({
      jobs: { build: { steps: [{ uses: 'x' }] } },
    });
    expect(parseYamlDocument('a: [1\n').errors.length).toBeGreaterThan(0);
  });

  it('is the only way production code parses YAML', () => {
    const src = fileURLToPath(new URL('..', import.meta.url));
    const offenders: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          const text = readFileSync(path, 'utf8');
          const fromYaml = /import\s*\{([^}]*)\}\s*from\s*'yaml'/g;
          for (const match of text.matchAll(fromYaml)) {
            if (/\bparse(Document|AllDocuments)?\b/.test(match[1] ?? '')) offenders.push(relative(src, path));
          }
        }
      }
    };
    walk(src);
    expect(offenders).toEqual(['kernel/yaml.ts']);
  });
});
