import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { dependenciesSupported } from './checks.js';
import { collectDependencies, type DependenciesFacts } from './collect.js';

const absent = { status: 'absent' as const, location: 'x', sources: [], coverage: {} };
const present = { status: 'present' as const, location: 'x', sources: [], coverage: {}, ageDays: 1 };
const now = { now: new Date('2026-06-01T00:00:00Z') };

function facts(overrides: Partial<DependenciesFacts>): DependenciesFacts {
  return {
    packages: 3,
    unlocked: [],
    frameworks: [],
    flagged: [],
    database: absent,
    locked: [],
    registries: { files: [], sources: [], unresolved: [], unreadable: [] },
    modified: { patched: [], vendored: [], unreadable: [] },
    ...overrides,
  };
}

/** A framework found in the repository: Django 3.2, end of life before `now` unless `eol` says otherwise. */
function framework(overrides: Partial<DependenciesFacts['frameworks'][number]> = {}) {
  return {
    product: 'django',
    title: 'Django',
    package: 'django',
    version: '3.2.19',
    cycle: '3.2',
    eol: '2024-04-01',
    location: { path: 'requirements.txt', line: 4 },
    ...overrides,
  };
}

/** dependencies/supported on the facts, under the default policy. */
function judge(overrides: Partial<DependenciesFacts>) {
  return dependenciesSupported.evaluate(facts(overrides), defaultPolicy(), now);
}

describe('dependencies/supported', () => {
  it('fails on an end-of-life framework with its file and line', () => {
    const result = judge({ frameworks: [framework()] });
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toMatchObject({
      severity: 'high',
      location: { path: 'requirements.txt', line: 4 },
    });
  });

  it('fails on a package flagged malicious', () => {
    const result = judge({
      database: present,
      flagged: [
        {
          kind: 'malicious',
          name: 'evil',
          version: '1.0.0',
          id: 'MAL-2024-1',
          location: { path: 'package-lock.json', line: 9 },
        },
      ],
    });
    expect(result.status).toBe('fail');
    expect(result.findings[0]?.severity).toBe('critical');
  });

  it('passes a supported framework, and is unknown with nothing to judge', () => {
    const supported = judge({ database: present, frameworks: [framework({ eol: '2026-11-28' })] });
    expect(supported.status).toBe('pass');
    expect(judge({}).status).toBe('unknown');
    expect(judge({ packages: 0 }).status).toBe('not-applicable');
  });
});

describe('dependencies without a lockfile', () => {
  it('fails, not not-applicable: what is not locked cannot be judged', () => {
    const result = judge({ packages: 0, unlocked: ['services/api/package.json'] });
    expect(result.status).toBe('fail');
    expect(result.findings[0]?.location).toEqual({ path: 'services/api/package.json' });
  });
});

describe('collectDependencies', () => {
  let repository: TestRepository | undefined;
  afterEach(() => repository?.remove());

  it('finds frameworks by the package URLs the end-of-life dataset names, not only the listed ones', async () => {
    repository = createTestRepository();
    const lock = {
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': {
          name: 'web',
          dependencies: { '@angular/core': '15.2.10', express: '4.21.2', 'left-pad': '1.3.0' },
        },
        'node_modules/@angular/core': { version: '15.2.10' },
        'node_modules/express': { version: '4.21.2' },
        'node_modules/left-pad': { version: '1.3.0' },
      },
    };
    repository.write({
      'package.json':
        '{"name": "web", "dependencies": {"@angular/core": "15.2.10", "express": "4.21.2", "left-pad": "1.3.0"}}\n',
      'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
    });
    repository.commit('initial');
    const snapshot = await RepositorySnapshot.open(repository.path);
    const collected = await collectDependencies(snapshot, defaultPolicy(), { now: testNow });
    expect(
      collected.frameworks.map((item) => `${item.product} ${item.title} ${item.version} → ${item.cycle}`),
    ).toEqual(['angular Angular 15.2.10 → 15', 'express Express 4.21.2 → 4']);
    const result = dependenciesSupported.evaluate(collected, defaultPolicy(), {
      now: new Date('2026-06-01T00:00:00Z'),
    });
    expect(result.findings.map((finding) => finding.message)).toContain(
      'Angular 15 (@angular/core 15.2.10) reached end of life on 2024-05-18.',
    );
  });
});
