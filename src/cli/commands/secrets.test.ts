import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../testing/fake-credentials.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { registerHookCommand } from './hook.js';
import { registerSecretsCommand } from './secrets.js';

let repo: TestRepository;
beforeEach(() => {
  repo = createTestRepository();
  process.exitCode = undefined;
});
afterEach(() => {
  repo.remove();
  process.exitCode = undefined;
});

async function run(...args: string[]): Promise<number> {
  const program = new Command('shipguard').exitOverride().option('-q, --quiet');
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSecretsCommand(program);
  registerHookCommand(program);
  process.exitCode = undefined;
  await program.parseAsync(['node', 'shipguard', ...args]);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

describe('shipguard secrets', () => {
  it('exits 1 on findings and never writes a raw secret in any format', async () => {
    const credentials = fakeCredentials(21);
    repo.write(Object.fromEntries(credentials.map((credential) => [credential.path, credential.content])));
    repo.commit('leak');
    for (const format of ['table', 'json', 'sarif']) {
      for (const mode of [[], ['--history']]) {
        const out = join(repo.path, `.git/report.${format}`);
        expect(await run('secrets', repo.path, ...mode, '--format', format, '--out', out)).toBe(1);
        const text = readFileSync(out, 'utf8');
        expect(text.length).toBeGreaterThan(100);
        for (const credential of credentials) {
          expect(text.includes(credential.secret), `${credential.ruleId} in ${format}`).toBe(false);
          // Not even a long piece of it.
          expect(
            text.includes(credential.secret.slice(0, 12)),
            `${credential.ruleId} prefix in ${format}`,
          ).toBe(false);
        }
      }
    }
    const sarif = JSON.parse(readFileSync(join(repo.path, '.git/report.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].partialFingerprints['shipguardSecret/v1']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('exits 0 when a baseline accepts every finding, and 1 again on a new one', async () => {
    const [first, second] = fakeCredentials(22);
    repo.write({ [first?.path ?? 'a']: first?.content ?? '' });
    const baseline = join(repo.path, '.git/baseline.json');
    expect(await run('secrets', repo.path, '--format', 'json', '--out', baseline)).toBe(1);
    expect(await run('secrets', repo.path, '--baseline', baseline, '--out', join(repo.path, '.git/o'))).toBe(
      0,
    );
    repo.write({ [second?.path ?? 'b']: second?.content ?? '' });
    expect(await run('secrets', repo.path, '--baseline', baseline, '--out', join(repo.path, '.git/o'))).toBe(
      1,
    );
  });

  it('exits 0 on a clean tree and rejects conflicting modes and bad configs as usage errors', async () => {
    repo.write({ 'README.md': '# clean\n' });
    expect(await run('secrets', repo.path, '--out', join(repo.path, '.git/o'))).toBe(0);
    await expect(run('secrets', repo.path, '--staged', '--history')).rejects.toMatchObject({
      code: 'USAGE_INVALID_OPTION',
    });
    writeFileSync(join(repo.path, 'bad.toml'), '[[rules]]\nid = "x"\nregex = "(?U)a"\n');
    // The configuration's own code reaches the user, and its kind says exit 2.
    await expect(run('secrets', repo.path, '--config', join(repo.path, 'bad.toml'))).rejects.toMatchObject({
      code: 'SECRETS_RULE_UNSUPPORTED_REGEX',
      kind: 'config',
      exitCode: 2,
    });
  });
});

describe('shipguard hook install', () => {
  it('writes a pre-commit hook and refuses to replace a foreign one without --force', async () => {
    const out = process.stdout.write;
    process.stdout.write = () => true;
    try {
      expect(await run('hook', 'install', repo.path)).toBe(0);
      const hook = join(repo.path, '.git/hooks/pre-commit');
      expect(readFileSync(hook, 'utf8')).toContain('secrets --staged');
      // Our own hook may be reinstalled.
      expect(await run('hook', 'install', repo.path)).toBe(0);
      writeFileSync(hook, '#!/bin/sh\necho mine\n');
      await expect(run('hook', 'install', repo.path)).rejects.toMatchObject({ code: 'USAGE_INVALID_OPTION' });
      expect(readFileSync(hook, 'utf8')).toContain('mine');
      expect(await run('hook', 'install', repo.path, '--force')).toBe(0);
      expect(readFileSync(hook, 'utf8')).toContain('shipguard');
    } finally {
      process.stdout.write = out;
    }
  });
});
