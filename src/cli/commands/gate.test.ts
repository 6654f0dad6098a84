import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { main } from '../program.js';
import { parseAt, whatIfInputs } from './gate.js';

let repository: TestRepository;
afterEach(() => repository.remove());

function run(...args: string[]): Promise<number> {
  return main(['node', 'shipguard', ...args]);
}

/** `shipguard gate` in the test repository, for an artefact known by its digest only. */
function gate(environment: string, ...args: string[]): Promise<number> {
  return run(
    'gate',
    '-C',
    repository.path,
    '--artifact',
    `sha256:${'ab'.repeat(32)}`,
    '--env',
    environment,
    ...args,
  );
}

// shipguard change: src/cli/commands/change.test.ts (proved principals, on every store).

describe('shipguard gate', () => {
  it('denies (exit 1) an artefact without provenance, with a reason per rule, and records the decision', async () => {
    repository = createTestRepository();
    repository.commit('initial');
    const db = join(repository.path, '.git', 'store.db');
    const out = join(repository.path, '.git', 'gate.json');
    const code = await gate(
      'staging',
      '--deployer',
      'erin',
      '--db',
      db,
      '--protected-ref',
      'refs/heads/main',
      '--format',
      'json',
      '--out',
      out,
    );
    expect(code).toBe(1);
    const decision = JSON.parse(readFileSync(out, 'utf8'));
    expect(decision).toMatchObject({
      result: 'deny',
      environment: 'staging',
      deployer: 'erin',
      ledgerIndex: 0,
    });
    expect(decision.rules.map((rule: { id: string; outcome: string }) => [rule.id, rule.outcome])).toEqual([
      ['provenance', 'fail'],
      ['secrets', 'fail'],
    ]);
  });

  it('rejects a time without an offset as a usage error', async () => {
    repository = createTestRepository();
    expect(() => parseAt('2026-06-12 15:00')).toThrow(
      expect.objectContaining({ code: 'USAGE_INVALID_OPTION' }),
    );
    expect(parseAt('2026-06-12T15:00:00+01:00').toISOString()).toBe('2026-06-12T14:00:00.000Z');
    expect(
      await run(
        'gate',
        '-C',
        repository.path,
        '--artifact',
        'x',
        '--env',
        'prod',
        '--dry-run',
        '--at',
        'friday',
      ),
    ).toBe(2);
  });

  it('refuses what-if inputs (--at, --policy, --key) without --dry-run (exit 2)', async () => {
    repository = createTestRepository();
    repository.commit('initial');
    expect(await gate('prod', '--at', '2026-06-12T15:00:00+01:00')).toBe(2);
    expect(await gate('prod', '--policy', join(repository.path, 'shipguard.yaml'))).toBe(2);
    expect(await gate('prod', '--key', join(repository.path, 'release.pub'))).toBe(2);
    expect(() => whatIfInputs({ at: '2026-06-12T15:00:00+01:00', key: [] })).toThrow(
      expect.objectContaining({
        code: 'USAGE_INVALID_OPTION',
        message: expect.stringContaining('--dry-run'),
      }),
    );
  });

  it('says DRY RUN and ledgers a what-if under --dry-run; without a protected branch a real run denies', async () => {
    repository = createTestRepository();
    repository.commit('initial');
    const db = join(repository.path, '.git', 'store.db');
    const out = join(repository.path, '.git', 'gate.txt');
    expect(
      await gate(
        'staging',
        '--db',
        db,
        '--dry-run',
        '--protected-ref',
        'refs/heads/main',
        '--at',
        '2026-06-12T15:00:00+01:00',
        '--out',
        out,
      ),
    ).toBe(1);
    expect(readFileSync(out, 'utf8')).toMatch(/^DRY RUN \(what-if, not a decision\): would deny/);
    expect(readFileSync(out, 'utf8')).toContain('recorded in the ledger as a what-if');
    // No origin/HEAD and no --protected-ref: the policy rule denies and says how to provide it.
    expect(await gate('staging', '--db', db, '--out', out)).toBe(1);
    expect(readFileSync(out, 'utf8')).toMatch(
      /fail +policy +the protected policy is unknown: no protected default branch/,
    );
  });
});
