import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../testing/fake-credentials.js';
import { filterMatches } from '../allow.js';
import type { SecretsError } from '../errors.js';
import { defaultRuleSet } from '../rules/default-rules.js';
import { compileRuleSet } from '../scan/compile-rules.js';
import { scanText } from '../scan/engine.js';
import { loadGitleaksConfig, loadRuleSet } from './config.js';
import { translateGoRegex } from './go-regex.js';

function compiles(source: string): RegExp {
  const spec = translateGoRegex(source, 'test');
  return new RegExp(spec.source, spec.flags);
}

describe('Go regex translation', () => {
  it('turns a leading (?i) into a flag and mid-pattern flags into modifier groups', () => {
    expect(translateGoRegex('(?i)abc', 'r')).toEqual({ source: 'abc', flags: 'i' });
    const mid = compiles('x(?i)ab|cd');
    expect(mid.test('xAB')).toBe(true);
    expect(mid.test('CD')).toBe(true);
    expect(mid.test('Xab')).toBe(false);
    expect(compiles('(?P<tok>[[:alnum:]]{3})\\z').exec('abc')?.groups?.['tok']).toBe('abc');
    expect(compiles('[]a]+').test(']a')).toBe(true);
    expect(compiles('\\Qa.b\\E').test('axb')).toBe(false);
  });

  it('rejects what JavaScript cannot run, naming the rule', () => {
    expect(() => translateGoRegex('(?U)a+', 'my-rule')).toThrow(
      expect.objectContaining({ code: 'SECRETS_RULE_UNSUPPORTED_REGEX' }),
    );
    expect(() => translateGoRegex('a\\C', 'my-rule')).toThrow(/my-rule/);
  });
});

describe('gitleaks configuration', () => {
  it('extends the default rules and applies rule and global allowlists', async () => {
    const toml = `
title = "custom"
[extend]
useDefault = true
disabledRules = ["jwt"]

[[rules]]
id = "internal-token"
description = "Internal service token"
regex = '''(?i)\\b(itk_[a-z0-9]{24})\\b'''
secretGroup = 1
entropy = 3.0
keywords = ["ITK_"]
  [[rules.allowlists]]
  regexTarget = "line"
  regexes = ['''fixture''']

[[allowlists]]
description = "tests"
paths = ['''^test/''']
stopwords = ["notsecret"]
`;
    const { ruleSet } = await loadGitleaksConfig(toml, '.gitleaks.toml');
    const ids = ruleSet.rules.map((rule) => rule.id);
    expect(ids).toContain('github-pat');
    expect(ids).toContain('internal-token');
    expect(ids).not.toContain('jwt');
    const compiled = compileRuleSet(ruleSet);
    const token = `itk_${'a1b2c3d4e5f6g7h8i9j0k1l2'}`;
    const found = (text: string, path: string) =>
      filterMatches(compiled, scanText(text, compiled), { path }).map((match) => match.ruleId);
    expect(found(`t = ${token}`, 'src/a.ts')).toEqual(['internal-token']);
    expect(found(`t = ${token} # fixture`, 'src/a.ts')).toEqual([]);
    expect(found(`t = ${token}`, 'test/a.ts')).toEqual([]);
    const stripe = fakeCredentials(2).find((credential) => credential.ruleId === 'stripe-secret-key');
    expect(found(stripe?.content ?? '', 'src/b.rb')).toEqual(['stripe-secret-key']);
  });

  it('reports bad TOML and bad rules with a typed error', async () => {
    await expect(loadGitleaksConfig('[[rules]\nid=', 'bad.toml')).rejects.toMatchObject({
      code: 'SECRETS_CONFIG_INVALID',
    });
    await expect(loadGitleaksConfig('[[rules]]\nid = "x"\n', 'bad.toml')).rejects.toMatchObject({
      code: 'SECRETS_CONFIG_INVALID',
    });
    await expect(
      loadGitleaksConfig("[[rules]]\nid = \"u\"\nregex = '''(?U)a+'''\n", 'bad.toml'),
    ).rejects.toMatchObject({
      code: 'SECRETS_RULE_UNSUPPORTED_REGEX',
    });
  });
});

describe("a repository's .gitleaks.toml [extend] path", () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  function folder(): string {
    const path = mkdtempSync(join(tmpdir(), 'shipguard-gitleaks-'));
    folders.push(path);
    return path;
  }
  async function loadError(root: string): Promise<SecretsError> {
    try {
      await loadRuleSet(root);
    } catch (error) {
      return error as SecretsError;
    }
    throw new Error('expected an error');
  }

  it('reads a file inside the repository', async () => {
    const root = folder();
    writeFileSync(join(root, '.gitleaks.toml'), '[extend]\npath = "base.toml"\n');
    writeFileSync(join(root, 'base.toml'), '[extend]\nuseDefault = true\ndisabledRules = ["jwt"]\n');
    const rules = await loadRuleSet(root);
    expect(rules.rules.length).toBe(defaultRuleSet().rules.length - 1);
  });

  it('refuses a file outside the repository', async () => {
    const outside = folder();
    writeFileSync(join(outside, 'base.toml'), 'title = "no rules"\n');
    const root = folder();
    writeFileSync(join(root, '.gitleaks.toml'), `[extend]\npath = "../${basename(outside)}/base.toml"\n`);
    const error = await loadError(root);
    expect(error.code).toBe('SECRETS_CONFIG_UNREADABLE');
    expect(error.message).toContain('outside the repository');
  });

  it('refuses a FIFO at once, rather than waiting on it', async () => {
    const root = folder();
    writeFileSync(join(root, '.gitleaks.toml'), '[extend]\npath = "base.toml"\n');
    execFileSync('mkfifo', [join(root, 'base.toml')]);
    const error = await loadError(root);
    expect(error.code).toBe('SECRETS_CONFIG_UNREADABLE');
    expect(error.message).toContain('FIFO');
  }, 10_000);
});
