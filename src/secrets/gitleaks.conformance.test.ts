import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGitleaksConfig } from './gitleaks/config.js';
import { defaultRules } from './rules/default-rules.js';
import { compileRuleSet } from './scan/compile-rules.js';

// ../shared/corpora relative to the repository root (this file is src/secrets/…).
const corpus = fileURLToPath(new URL('../../../shared/corpora/gitleaks/gitleaks.toml', import.meta.url));
const present = existsSync(corpus);

/**
 * Provider families: a gitleaks rule id belongs to the first family whose prefix it starts with;
 * our rule ids are matched the same way.
 */
const familyOf = (id: string): string => {
  const aliases: Record<string, string> = {
    aws: 'aws',
    gcp: 'gcp',
    azure: 'azure',
    jwt: 'jwt',
    generic: 'generic',
  };
  const head = id.split('-')[0] ?? id;
  return aliases[head] ?? head;
};

/** Families the issue names: our default rules must cover each. */
const requiredFamilies = [
  'aws',
  'gcp',
  'azure',
  'github',
  'gitlab',
  'npm',
  'pypi',
  'stripe',
  'slack',
  'discord',
  'openai',
  'anthropic',
  'private',
  'jwt',
  'generic',
];

describe.skipIf(!present)('gitleaks default configuration (../shared/corpora/gitleaks)', () => {
  it('loads its rules and allowlists, translating Go regexes', async () => {
    const text = readFileSync(corpus, 'utf8');
    const { ruleSet, skipped } = await loadGitleaksConfig(text, 'gitleaks.toml', { skipUnsupported: true });
    const total = (text.match(/^\[\[rules\]\]/gm) ?? []).length;
    console.log(
      `gitleaks.toml: ${ruleSet.rules.length} of ${total} rules loaded, ${ruleSet.allowlists.length} global allowlists`,
    );
    for (const rule of skipped) console.log(`  skipped ${rule.id}: ${rule.reason}`);
    expect(ruleSet.rules.length + skipped.length).toBe(total);
    expect(ruleSet.rules.length / total).toBeGreaterThan(0.95);
    // Every loaded rule compiles and the keyword index builds.
    expect(compileRuleSet(ruleSet).rules.length).toBe(ruleSet.rules.length);
  });

  it('compares provider coverage with shipguard default rules', () => {
    const text = readFileSync(corpus, 'utf8');
    const theirs = [...text.matchAll(/^id = "([^"]+)"/gm)].map((match) => match[1] as string);
    const theirFamilies = new Map<string, string[]>();
    for (const id of theirs)
      theirFamilies.set(familyOf(id), [...(theirFamilies.get(familyOf(id)) ?? []), id]);
    const ours = new Set(defaultRules.map((rule) => familyOf(rule.id)));
    // Our private-key and gcp-service-account rules, and connection strings, have no single gitleaks family.
    const rows = [...theirFamilies.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(
        ([family, ids]) =>
          `${ours.has(family) ? 'yes' : ' - '}  ${family.padEnd(20)} ${ids.length} gitleaks rule(s)`,
      );
    const covered = [...theirFamilies.keys()].filter((family) => ours.has(family)).length;
    console.log(`families covered: ${covered} of ${theirFamilies.size}\n${rows.join('\n')}`);
    for (const family of requiredFamilies) expect(ours.has(family), family).toBe(true);
    // Every provider family of gitleaks' default configuration has at least one rule of ours.
    expect([...theirFamilies.keys()].filter((family) => !ours.has(family))).toEqual([]);
  });
});

describe.skipIf(present)('gitleaks corpus', () => {
  it('is absent: ../shared/corpora/gitleaks not found, conformance skipped', () => {
    expect(present).toBe(false);
  });
});
