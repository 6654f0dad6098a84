import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseControlsOptions, registerControlsCommand } from './controls.js';

describe('parseControlsOptions', () => {
  it('defaults to the table of all controls', () => {
    expect(parseControlsOptions({})).toEqual({ view: { format: 'table' } });
  });

  it('accepts a framework, a format and an output file', () => {
    expect(parseControlsOptions({ framework: 'ssdf', format: 'json', out: 'c.json' })).toEqual({
      view: { format: 'json', framework: 'ssdf' },
      out: 'c.json',
    });
  });

  it.each([
    [{ framework: 'iso27002' }, '--framework'],
    [{ format: 'sarif' }, '--format'],
    [{ framework: '' }, '--framework'],
  ])('rejects %j as a usage error (exit 2)', (raw, option) => {
    let caught: unknown;
    try {
      parseControlsOptions(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).code).toBe('USAGE_INVALID_OPTION');
    expect((caught as UsageError).message).toContain(option);
    expect((caught as UsageError).exitCode).toBe(2);
  });
});

describe('shipguard controls', () => {
  let folder: string | undefined;
  const exitCodeBefore = process.exitCode;

  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
    process.exitCode = exitCodeBefore;
  });

  function program(): Command {
    const root = new Command('shipguard').exitOverride();
    registerControlsCommand(root);
    return root;
  }

  it('writes the JSON catalog to --out and exits 0', async () => {
    folder = mkdtempSync(join(tmpdir(), 'shipguard-controls-'));
    const out = join(folder, 'controls.json');
    await program().parseAsync(['controls', '--format', 'json', '--framework', 'ncsc', '--out', out], {
      from: 'user',
    });
    expect(process.exitCode).toBe(0);
    const document = JSON.parse(readFileSync(out, 'utf8')) as {
      framework: string;
      coverage: { gaps: unknown[] };
    };
    expect(document.framework).toBe('ncsc');
    expect(document.coverage.gaps).toEqual([]);
  });

  it('fails with a usage error on an unknown framework', async () => {
    await expect(
      program().parseAsync(['controls', '--framework', 'pci'], { from: 'user' }),
    ).rejects.toMatchObject({ code: 'USAGE_INVALID_OPTION' });
  });
});
