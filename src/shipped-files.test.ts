import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const projectRoot = join(import.meta.dirname, '..');

/** A path (relative to the project, `/`-separated) that is test support and must never ship. */
function isTestOnlyPath(path: string): boolean {
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  return (
    /\.(test|bench|conformance)\.[cm]?[jt]s$/.test(name) ||
    /\.test\.d\.ts$/.test(name) ||
    parts.includes('__fixtures__') ||
    parts.includes('testing') ||
    parts.includes('vitest') ||
    parts.includes('@vitest') ||
    name.startsWith('fake-credentials') ||
    name.startsWith('store.common')
  );
}

/** The files the production build compiles: tsconfig.build.json's inputs and everything they import. */
async function buildInputs(): Promise<string[]> {
  const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const { stdout } = await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], {
    cwd: projectRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((file) => relative(projectRoot, file).split(sep).join('/'));
}

describe('what ships', () => {
  it('recognises test support by its path', () => {
    expect(isTestOnlyPath('dist/store/__fixtures__/assessment-builder.js')).toBe(true);
    expect(isTestOnlyPath('dist/testing/store-suite.js')).toBe(true);
    expect(isTestOnlyPath('dist/store/store.common.js')).toBe(true);
    expect(isTestOnlyPath('dist/secrets/fake-credentials.js')).toBe(true);
    expect(isTestOnlyPath('src/store/store.test.ts')).toBe(true);
    expect(isTestOnlyPath('node_modules/vitest/dist/index.d.ts')).toBe(true);
    expect(isTestOnlyPath('dist/store/store.js')).toBe(false);
    expect(isTestOnlyPath('dist/collectors/test-data/collect.js')).toBe(false);
    expect(isTestOnlyPath('dist/pipelines/test-commands.js')).toBe(false);
  });

  it('compiles no test, fixture or test helper into dist/, and nothing that imports vitest', async () => {
    const inputs = await buildInputs();
    expect(inputs.some((file) => file.startsWith('src/cli/'))).toBe(true);
    expect(inputs.filter((file) => isTestOnlyPath(file))).toEqual([]);
  });

  // The package's file list reflects the last build; `npm ci` builds, so it is fresh in CI.
  it.skipIf(!existsSync(join(projectRoot, 'dist', 'cli', 'main.js')))(
    'packs no test, fixture or test helper (npm pack --dry-run)',
    async () => {
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const { stdout } = await run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: projectRoot,
        maxBuffer: 64 * 1024 * 1024,
      });
      const [packed] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
      const files = (packed?.files ?? []).map((file) => file.path);
      expect(files).toContain('dist/cli/main.js');
      // Generated data ships with its source's licence notice.
      expect(files).toContain('dist/end-of-life/dataset.json');
      expect(files).toContain('dist/end-of-life/NOTICE');
      expect(files.filter((file) => isTestOnlyPath(file))).toEqual([]);
    },
  );
});
