import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectors } from './index.js';

const collectorsFolder = fileURLToPath(new URL('.', import.meta.url));

function collectorFolders(): string[] {
  return readdirSync(collectorsFolder).filter((name) =>
    statSync(`${collectorsFolder}/${name}`).isDirectory(),
  );
}

describe('collector registry', () => {
  it('registers every collector folder on disk, under its own id', () => {
    expect(Object.keys(collectors).sort()).toEqual(collectorFolders().sort());
    for (const [id, collector] of Object.entries(collectors)) expect(collector.id).toBe(id);
  });

  it('gives every folder the same file roles', () => {
    for (const folder of collectorFolders()) {
      const files = readdirSync(`${collectorsFolder}/${folder}`);
      expect(files, folder).toEqual(expect.arrayContaining(['index.ts', 'readme.md']));
      // Thin: domain code lives in a domain folder, so a collector holds only these roles.
      const roles = ['index.ts', 'collect.ts', 'checks.ts', 'readme.md'];
      const others = files.filter((file) => !roles.includes(file) && !file.endsWith('.test.ts'));
      expect(others, `${folder} holds only index, collect, checks, readme and tests`).toEqual([]);
      expect(
        files.some((file) => file.endsWith('.test.ts')),
        `${folder} has tests`,
      ).toBe(true);
    }
  });

  it('names every check <collector>/<name>, uniquely, with a remediation', () => {
    const seen = new Set<string>();
    for (const collector of Object.values(collectors)) {
      for (const check of collector.checks) {
        expect(check.id.startsWith(`${collector.id}/`), check.id).toBe(true);
        expect(check.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
        expect(seen.has(check.id), `duplicate ${check.id}`).toBe(false);
        expect(check.remediation.length).toBeGreaterThan(10);
        seen.add(check.id);
      }
    }
  });
});
