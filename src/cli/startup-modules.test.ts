import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryRepositories } from '../testing/temporary-repositories.js';

/**
 * Libraries only some commands need are loaded when first used, not at start-up: each is tens of
 * modules that every `assess` would otherwise resolve and compile (bench/README.md, "Assess").
 */
const main = join(import.meta.dirname, 'main.ts');
const register = join(import.meta.dirname, '..', 'testing', 'ts-register.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'shipguard-modules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const repository = temporaryRepositories();

/** The URLs of every module an `assess` of a small repository loads. */
function modulesLoadedByAssess(): string[] {
  const record = join(scratch, 'loaded.txt');
  const hooks = join(scratch, 'record-hooks.mjs');
  const recorder = join(scratch, 'record.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(record)}, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    recorder,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const repo = repository();
  repo.write({ 'README.md': '# demo\n', 'package.json': '{"name":"demo","dependencies":{}}\n' });
  repo.commit('initial');
  execFileSync(
    process.execPath,
    [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      register,
      '--import',
      recorder,
      main,
      'assess',
      repo.path,
      '--no-save',
      '-f',
      'json',
      '--fail-on',
      'none',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return readFileSync(record, 'utf8').split('\n').filter(Boolean);
}

describe('start-up', () => {
  it('assess does not load the queue, token, schema or Sigstore libraries', () => {
    const loaded = modulesLoadedByAssess();
    // The recorder sees the libraries assess does use: without them this test could not fail.
    expect(loaded.some((url) => url.includes('/node_modules/kysely/'))).toBe(true);
    for (const library of ['pg-boss', 'pg', 'jose', 'ajv', '@sigstore']) {
      expect(
        loaded.filter((url) => url.includes(`/node_modules/${library}/`)),
        library,
      ).toEqual([]);
    }
  }, 60_000);
});
