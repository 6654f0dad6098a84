import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy, Policy } from '../../policy/index.js';
import { evaluateCollectorOnFiles, temporaryRepository, testNow } from '../../testing/evaluate-collector.js';
import { placeholderOwnerReason } from './checks.js';
import type { CodeownersFacts } from './collect.js';
import { codeownersCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
async function assess(files: Record<string, string>, options: { git?: boolean; policy?: Policy } = {}) {
  const { facts, results, snapshot } = await evaluateCollectorOnFiles<CodeownersFacts>(
    codeownersCollector,
    files,
    options,
  );
  return {
    facts,
    snapshot,
    present: results['codeowners/present'],
    coverage: results['codeowners/coverage'],
  };
}

const sources = {
  'README.md': '# demo\n',
  'src/index.ts': 'export {};\n',
  'src/util.ts': 'export {};\n',
  'docs/guide.md': '# guide\n',
};

describe('codeowners collector', () => {
  it('passes both checks when a catch-all rule owns every file', async () => {
    const { present, coverage, facts } = await assess({
      ...sources,
      '.github/CODEOWNERS': '# owners\n\n* @acme/platform\n/docs/ @acme/writers\n',
    });
    expect(facts.file?.rules.map((rule) => rule.line)).toEqual([3, 4]);
    expect(present?.status).toBe('pass');
    expect(present?.evidence).toEqual([{ kind: 'file', path: '.github/CODEOWNERS', line: 3 }]);
    expect(coverage?.status).toBe('pass');
    expect(coverage?.evidence[0]).toMatchObject({ kind: 'file', path: '.github/CODEOWNERS' });
    expect(coverage?.evidence[0]?.kind === 'file' && coverage.evidence[0].note).toContain(
      '5 of 5 files (100.0%)',
    );
  });

  it('fails both checks with the places searched when there is no CODEOWNERS', async () => {
    const { present, coverage } = await assess(sources);
    expect(present?.status).toBe('fail');
    expect(present?.evidence[0]).toEqual({
      kind: 'absence',
      lookedFor: ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'],
      in: 'working tree',
    });
    expect(present?.findings).toHaveLength(1);
    expect(coverage?.status).toBe('fail');
    expect(coverage?.evidence[0]?.kind).toBe('absence');
  });

  it('fails coverage below the threshold and names the uncovered folders', async () => {
    const { coverage } = await assess({
      ...sources,
      'tools/a.sh': 'echo\n',
      'tools/b.sh': 'echo\n',
      CODEOWNERS: '/src/ @acme/core\n',
    });
    // 2 of 7 files (src/index.ts, src/util.ts) have an owner.
    expect(coverage?.status).toBe('fail');
    expect(coverage?.summary).toContain('2 of 7 files (28.5%)');
    expect(coverage?.findings.map((finding) => finding.location?.path)).toEqual([
      'CODEOWNERS',
      'tools/',
      'docs/',
    ]);
    expect(coverage?.findings[0]?.message).toContain('2 file(s) at the top level');
  });

  it('uses the threshold from the policy', async () => {
    const policy = Policy.parse({ thresholds: { codeownersCoverage: 0.25 } });
    const { coverage } = await assess({ ...sources, CODEOWNERS: '/src/ @acme/core\n' }, { policy });
    expect(coverage?.status).toBe('pass');
  });

  it('gives no coverage to owners that are all placeholders', async () => {
    const { present, coverage } = await assess({ ...sources, CODEOWNERS: '* @nobody\n' });
    expect(present?.status).toBe('fail');
    expect(coverage?.status).toBe('fail');
    expect(coverage?.summary).toContain('every owner in CODEOWNERS is a placeholder');
  });

  it('does not pass a threshold of 0 when no file has an owner', async () => {
    const policy = Policy.parse({ thresholds: { codeownersCoverage: 0 } });
    const { coverage } = await assess({ ...sources, CODEOWNERS: '/nowhere/ @acme/core\n' }, { policy });
    expect(coverage?.status).toBe('fail');
    expect(coverage?.summary).toContain('0 of 5 files');
  });

  it('treats a rule without owners as taking files back', async () => {
    const { coverage } = await assess({
      ...sources,
      CODEOWNERS: '* @acme/all\n/src/\n',
    });
    expect(coverage?.status).toBe('fail');
    expect(coverage?.findings.map((finding) => finding.location?.path)).toEqual(['src/']);
  });

  it('fails presence with a finding per invalid line, at its line', async () => {
    const { present } = await assess({
      ...sources,
      '.github/CODEOWNERS': '* @acme/all\n!secrets/ @acme/sec\n/docs/ writers\n',
    });
    expect(present?.status).toBe('fail');
    expect(present?.findings.map((finding) => finding.location)).toEqual([
      { path: '.github/CODEOWNERS', line: 2 },
      { path: '.github/CODEOWNERS', line: 3 },
    ]);
    expect(present?.findings.every((finding) => finding.severity === 'low')).toBe(true);
  });

  it('fails presence when no rule names an owner', async () => {
    const { present, coverage } = await assess({ ...sources, 'docs/CODEOWNERS': '# nobody yet\n/src/\n' });
    expect(present?.status).toBe('fail');
    expect(present?.findings[0]?.location).toEqual({ path: 'docs/CODEOWNERS' });
    expect(coverage?.status).toBe('fail');
  });

  it('uses the first CODEOWNERS in GitHub order and says which ones it ignored', async () => {
    const { present, facts } = await assess({
      ...sources,
      CODEOWNERS: '* @root-owner\n',
      '.github/CODEOWNERS': '* @github-owner\n',
    });
    expect(facts.file?.path).toBe('.github/CODEOWNERS');
    expect(present?.evidence[0]).toMatchObject({ note: 'ignored because this file wins: CODEOWNERS' });
  });

  it('works on a folder that is not a git repository', async () => {
    const { present, coverage, snapshot } = await assess(
      { ...sources, '.gitlab/CODEOWNERS': '[Code] @acme/code\n*\n' },
      { git: false },
    );
    expect(snapshot.isGitRepository).toBe(false);
    expect(present?.status).toBe('pass');
    expect(coverage?.status).toBe('pass');
  });

  it('reports unknown with a way out when CODEOWNERS cannot be read', async () => {
    const repository = temporaryRepository();
    repository.write(sources);
    // A dangling symbolic link: listed by git, unreadable for everyone (root included).
    symlinkSync('missing-target', join(repository.path, 'CODEOWNERS'));
    repository.commit('initial');
    const snapshot = await RepositorySnapshot.open(repository.path);
    const facts = await codeownersCollector.collect(snapshot, defaultPolicy(), { now: testNow });
    const [present, coverage] = codeownersCollector.checks.map((check) =>
      check.evaluate(facts, defaultPolicy(), context),
    );
    expect(present?.status).toBe('unknown');
    expect(coverage?.status).toBe('unknown');
    expect(coverage?.howToProvide).toContain('CODEOWNERS');
    expect(snapshot.problems.map((problem) => problem.code)).toContain('FILE_UNREADABLE');
  });

  it('reports unknown coverage, and a problem, when the patterns are too costly to match', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 60; index++) files[`a/a${index}/a/a/a/a/f${index}.txt`] = 'x\n';
    const hostile = `${'**/a/'.repeat(15)}z`;
    const lines = Array.from({ length: 2000 }, (_, index) => `${hostile}${index} @x`);
    const { present, coverage, snapshot } = await assess({
      ...files,
      CODEOWNERS: `* @all\n${lines.join('\n')}\n`,
    });
    expect(present?.status).toBe('pass');
    expect(coverage?.status).toBe('unknown');
    expect(coverage?.howToProvide).toContain('Simplify the patterns');
    expect(snapshot.problems.map((problem) => problem.code)).toContain('PATTERNS_TOO_COSTLY');
  });

  it('reports unknown when CODEOWNERS is binary', async () => {
    const { present, coverage, snapshot } = await assess({ ...sources, CODEOWNERS: '* @a\0\0\n' });
    expect(present?.status).toBe('unknown');
    expect(coverage?.status).toBe('unknown');
    expect(coverage?.howToProvide).toBeDefined();
    expect(snapshot.problems.map((problem) => problem.code)).toContain('FILE_BINARY');
  });
});

describe('placeholder owners', () => {
  it.each(['@nobody', '@ghost', '@username', '@org/team', '@your-org/security', 'owner@example.com'])(
    'names %s a placeholder',
    (owner) => {
      expect(placeholderOwnerReason(owner)).toBeDefined();
    },
  );
  it.each(['@alice', '@acme/security', 'alice@acme-widgets.io'])('accepts %s', (owner) => {
    expect(placeholderOwnerReason(owner)).toBeUndefined();
  });
});
