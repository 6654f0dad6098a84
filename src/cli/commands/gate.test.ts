import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { main } from '../program.js';
import { parseAt } from './gate.js';

let repository: TestRepository;
afterEach(() => repository.remove());

function run(...args: string[]): Promise<number> {
  return main(['node', 'shipguard', ...args]);
}

// shipguard change: src/cli/commands/change.test.ts (proved principals, on every store).

describe('shipguard gate', () => {
  it('denies (exit 1) an artefact without provenance, with a reason per rule, and records the decision', async () => {
    repository = createTestRepository();
    repository.commit('initial');
    const db = join(repository.path, '.git', 'store.db');
    const out = join(repository.path, '.git', 'gate.json');
    const code = await run(
      'gate',
      '-C',
      repository.path,
      '--artifact',
      `sha256:${'ab'.repeat(32)}`,
      '--env',
      'staging',
      '--deployer',
      'erin',
      '--db',
      db,
      '--at',
      '2026-06-09T10:00:00+01:00',
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
      await run('gate', '-C', repository.path, '--artifact', 'x', '--env', 'prod', '--at', 'friday'),
    ).toBe(2);
  });
});
