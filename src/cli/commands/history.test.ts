import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusCounts } from '../../kernel/index.js';
import { buildAssessment } from '../../store/__fixtures__/assessment-builder.js';
import { buildHistoryReport, openStore, trendDirection } from '../../store/index.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { registerHistoryCommand, renderHistoryJson, renderHistoryTable } from './history.js';

function counts(values: Partial<StatusCounts>): StatusCounts {
  return { fail: 0, partial: 0, unknown: 0, pass: 0, 'not-applicable': 0, ...values };
}

const report = buildHistoryReport({
  repository: '/srv/repos/shop',
  store: '/srv/repos/shop/.shipguard/shipguard.db',
  assessments: [
    {
      id: 'run-2',
      repository: '/srv/repos/shop',
      commit: 'b2'.repeat(20),
      branch: 'main',
      startedAt: '2026-06-02T08:15:00.000Z',
      finishedAt: '2026-06-02T08:16:00.000Z',
      catalogVersion: '2026.1',
      toolVersion: '0.1.0',
      summary: counts({ pass: 12, fail: 1, 'not-applicable': 2 }),
    },
    {
      id: 'run-1',
      repository: '/srv/repos/shop',
      startedAt: '2026-06-01T08:00:00.000Z',
      finishedAt: '2026-06-01T08:01:00.000Z',
      catalogVersion: '2026.1',
      toolVersion: '0.1.0',
      summary: counts({ pass: 9, fail: 3, partial: 1, unknown: 10 }),
    },
  ],
  trend: [
    {
      assessmentId: 'run-2',
      startedAt: '2026-06-02T08:15:00.000Z',
      areas: {
        governance: counts({ pass: 3 }),
        'supply-chain': counts({ pass: 4, fail: 1 }),
        records: counts({ unknown: 1 }),
      },
    },
    {
      assessmentId: 'run-1',
      startedAt: '2026-06-01T08:00:00.000Z',
      areas: { governance: counts({ pass: 4 }), 'supply-chain': counts({ pass: 2, fail: 2, partial: 1 }) },
    },
  ],
});

describe('trendDirection', () => {
  it('is up when fewer controls fail, down when more do, and decided by passes when failures are equal', () => {
    expect(trendDirection([counts({ fail: 3 }), counts({ fail: 1 })])).toBe('up');
    expect(trendDirection([counts({ fail: 1 }), counts({ fail: 1, partial: 1 })])).toBe('down');
    expect(trendDirection([counts({ pass: 1 }), counts({ pass: 2 })])).toBe('up');
    expect(trendDirection([counts({ pass: 2 }), counts({ pass: 2, unknown: 5 })])).toBe('flat');
    expect(trendDirection([counts({ fail: 3 })])).toBe('flat');
    expect(trendDirection([])).toBe('flat');
  });
});

describe('buildHistoryReport', () => {
  it('orders runs oldest first per area, marks absent areas, and computes directions', () => {
    expect(report.areas).toEqual([
      {
        area: 'governance',
        runs: [
          { assessmentId: 'run-1', startedAt: '2026-06-01T08:00:00.000Z', counts: counts({ pass: 4 }) },
          { assessmentId: 'run-2', startedAt: '2026-06-02T08:15:00.000Z', counts: counts({ pass: 3 }) },
        ],
        direction: 'down',
      },
      {
        area: 'records',
        runs: [
          { assessmentId: 'run-1', startedAt: '2026-06-01T08:00:00.000Z' },
          { assessmentId: 'run-2', startedAt: '2026-06-02T08:15:00.000Z', counts: counts({ unknown: 1 }) },
        ],
        direction: 'flat',
      },
      {
        area: 'supply-chain',
        runs: [
          {
            assessmentId: 'run-1',
            startedAt: '2026-06-01T08:00:00.000Z',
            counts: counts({ pass: 2, fail: 2, partial: 1 }),
          },
          {
            assessmentId: 'run-2',
            startedAt: '2026-06-02T08:15:00.000Z',
            counts: counts({ pass: 4, fail: 1 }),
          },
        ],
        direction: 'up',
      },
    ]);
  });
});

describe('renderHistoryTable', () => {
  it('prints the assessments newest first and one trend line per area', () => {
    expect(renderHistoryTable(report, { color: false })).toBe(
      [
        'Assessments of /srv/repos/shop (store: /srv/repos/shop/.shipguard/shipguard.db), newest first',
        '',
        'DATE (UTC)        COMMIT   BRANCH  FAIL  PARTIAL  UNKNOWN  PASS  N/A',
        '2026-06-02 08:15  b2b2b2b  main       1        0        0    12    2',
        '2026-06-01 08:00  -        -          3        1       10     9    0',
        '',
        'Trend per area over the last 2 assessments (oldest first)',
        '',
        'AREA          PASS  FAIL+PARTIAL  TREND',
        'governance    4 3   0 0           ↓ worse',
        'records       - 0   - 0           → same',
        'supply-chain  2 4   3 1           ↑ better',
        '',
      ].join('\n'),
    );
  });

  it('colours only the trend word, and only when asked', () => {
    const coloured = renderHistoryTable(report, { color: true });
    expect(coloured).toContain('\u001b[32m↑ better\u001b[0m');
    expect(coloured).toContain('\u001b[31m↓ worse\u001b[0m');
    expect(renderHistoryTable(report, { color: false })).not.toContain('\u001b');
  });

  it('says so when nothing is stored, and neutralises control characters from the store', () => {
    expect(
      renderHistoryTable(
        buildHistoryReport({
          repository: '/srv/x',
          store: '/srv/x/.shipguard/shipguard.db',
          assessments: [],
          trend: [],
        }),
        { color: false },
      ),
    ).toBe(
      'No assessments of /srv/x are stored in /srv/x/.shipguard/shipguard.db.\nRun `shipguard assess` to record one.\n',
    );
    const [first] = report.assessments;
    if (!first) throw new Error('no assessment');
    const hostile = { ...report, assessments: [{ ...first, branch: 'main\u001b[2J' }] };
    expect(renderHistoryTable(hostile, { color: false })).toContain('main\uFFFD[2J');
  });
});

describe('renderHistoryJson', () => {
  it('prints the whole report with a schema version', () => {
    const parsed = JSON.parse(renderHistoryJson(report)) as Record<string, unknown>;
    expect(parsed).toEqual({ schemaVersion: 1, ...report });
  });
});

describe('shipguard history', () => {
  let repository: TestRepository;
  let folder: string;

  beforeEach(() => {
    repository = createTestRepository();
    repository.write({ 'README.md': '# shop\n', 'src/index.ts': 'export {};\n' });
    repository.commit('initial');
    folder = mkdtempSync(join(tmpdir(), 'shipguard-history-'));
  });

  afterEach(() => {
    repository.remove();
    rmSync(folder, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  async function run(...args: string[]): Promise<void> {
    const program = new Command('shipguard').exitOverride().option('--no-color');
    registerHistoryCommand(program);
    await program.parseAsync(['history', ...args], { from: 'user' });
  }

  it('reads the repository of a subfolder from the store named by --db, newest first', async () => {
    const db = join(folder, 'history.db');
    const store = await openStore({ kind: 'sqlite', path: db });
    const root = (await import('node:fs')).realpathSync(repository.path);
    try {
      await store.saveAssessment(buildAssessment({ id: 'old', startedAt: '2026-06-01T08:00:00.000Z' }), {
        repository: root,
      });
      await store.saveAssessment(buildAssessment({ id: 'new', startedAt: '2026-06-02T08:00:00.000Z' }), {
        repository: root,
      });
      await store.saveAssessment(buildAssessment({ id: 'other', startedAt: '2026-06-03T08:00:00.000Z' }), {
        repository: '/srv/elsewhere',
      });
    } finally {
      await store.close();
    }
    const out = join(folder, 'history.json');
    await run(join(repository.path, 'src'), '--db', db, '--format', 'json', '--out', out, '--limit', '5');
    expect(process.exitCode).toBe(0);
    const printed = JSON.parse(readFileSync(out, 'utf8')) as {
      repository: string;
      assessments: Array<{ id: string }>;
      areas: Array<{ area: string; runs: unknown[] }>;
    };
    expect(printed.repository).toBe(root);
    expect(printed.assessments.map((summary) => summary.id)).toEqual(['new', 'old']);
    expect(printed.areas.map((area) => [area.area, area.runs.length])).toEqual([
      ['governance', 2],
      ['supply-chain', 2],
    ]);
  });

  it('keys history by the remote: a second clone shares it, and rows saved under the old path stay in it', async () => {
    repository.git('remote', 'add', 'origin', 'git@github.com:Acme/Shop.git');
    using clone = createTestRepository();
    clone.git('remote', 'add', 'origin', 'https://github.com/Acme/Shop');
    const db = join(folder, 'history.db');
    const store = await openStore({ kind: 'sqlite', path: db });
    const root = (await import('node:fs')).realpathSync(repository.path);
    try {
      // Saved before repositories had keys: under the clone's path.
      await store.saveAssessment(buildAssessment({ id: 'by-path', startedAt: '2026-06-01T08:00:00.000Z' }), {
        repository: root,
      });
      await store.saveAssessment(buildAssessment({ id: 'by-key', startedAt: '2026-06-02T08:00:00.000Z' }), {
        repository: 'github.com/Acme/Shop',
      });
    } finally {
      await store.close();
    }
    const read = async (path: string) => {
      const out = join(folder, 'history.json');
      await run(path, '--db', db, '--format', 'json', '--out', out);
      return JSON.parse(readFileSync(out, 'utf8')) as {
        repository: string;
        assessments: Array<{ id: string }>;
      };
    };
    const here = await read(repository.path);
    expect(here.repository).toBe('github.com/Acme/Shop');
    expect(here.assessments.map((summary) => summary.id)).toEqual(['by-key', 'by-path']);
    const there = await read(clone.path);
    expect(there.repository).toBe('github.com/Acme/Shop');
    expect(there.assessments.map((summary) => summary.id)).toEqual(['by-key']);
  });

  it('does not create the default store when none exists', async () => {
    const out = join(folder, 'history.txt');
    const previous = process.env['SHIPGUARD_DB'];
    delete process.env['SHIPGUARD_DB'];
    try {
      await run(repository.path, '--out', out);
    } finally {
      if (previous !== undefined) process.env['SHIPGUARD_DB'] = previous;
    }
    expect(readFileSync(out, 'utf8')).toMatch(/^No assessments of .* are stored in .*shipguard\.db\./);
    expect(existsSync(join(repository.path, '.shipguard'))).toBe(false);
  });

  it('rejects a bad --limit and an unsupported --db as usage errors', async () => {
    await expect(run(repository.path, '--limit', '0')).rejects.toMatchObject({
      code: 'USAGE_INVALID_OPTION',
    });
    await expect(run(repository.path, '--limit', '12abc')).rejects.toMatchObject({
      code: 'USAGE_INVALID_OPTION',
    });
    await expect(run(repository.path, '--db', 'mysql://root@db/x')).rejects.toMatchObject({
      code: 'STORE_INVALID_LOCATION',
      exitCode: 2,
    });
  });
});
