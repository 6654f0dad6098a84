import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The executable's launch (decision 0013), run from the sources as a user runs the built file. */
const main = join(import.meta.dirname, 'main.ts');
const register = join(import.meta.dirname, '..', 'testing', 'ts-register.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'shipguard-main-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `shipguard --version`; returns the Node flags of the process that printed it. */
function flagsOfRun(nodeFlags: string[], nodeOptions = ''): string[] {
  const out = join(scratch, `flags-${Math.random().toString(36).slice(2)}.json`);
  const probe = join(scratch, 'probe.mjs');
  // Preloaded in every process image: the last one to exit writes what it was started with.
  writeFileSync(
    probe,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.execArgv)));\n`,
  );
  const version = execFileSync(process.execPath, [...nodeFlags, main, '--version'], {
    env: { ...process.env, NODE_OPTIONS: `--import=${register} --import=${probe} ${nodeOptions}`.trim() },
    encoding: 'utf8',
  });
  expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
  return JSON.parse(readFileSync(out, 'utf8')) as string[];
}

describe.skipIf(typeof process.execve !== 'function')('the executable', () => {
  it('runs with 4 MB semi-spaces and collections on request when started without Node flags', () => {
    expect(flagsOfRun([])).toEqual(['--max-semi-space-size=4', '--expose-gc']);
  }, 30_000);

  it('keeps the Node flags a person gave, and a semi-space size set in NODE_OPTIONS', () => {
    expect(flagsOfRun(['--no-warnings'])).toEqual(['--no-warnings']);
    expect(flagsOfRun([], '--max-semi-space-size=8')).toEqual([]);
  }, 30_000);
});
