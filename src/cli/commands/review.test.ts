import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { main } from '../program.js';
import { parseWindow } from './review.js';

let repository: TestRepository;
afterEach(() => repository.remove());

describe('shipguard review', () => {
  it('lists each change with its class and verdict, then the figures; exits 1 on unreviewed changes', async () => {
    repository = createTestRepository();
    const reviewed = repository.commit('one\n\nReviewed-by: Bob <bob@example.com>');
    const direct = repository.commit('two');
    const out = join(repository.path, '.git', 'review.json');
    const code = await main([
      'node',
      'shipguard',
      'review',
      repository.path,
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    const document = JSON.parse(readFileSync(out, 'utf8'));
    expect(
      document.changes.map((change: { commit: string; class: string; verdict: string }) => [
        change.commit,
        change.class,
        change.verdict,
      ]),
    ).toEqual([
      [direct, 'direct', 'unreviewed'],
      [reviewed, 'direct', 'reviewed'],
    ]);
    expect(document.figures).toMatchObject({ changes: 2, reviewed: 1, unreviewed: 1, coverage: 0.5 });

    const table = join(repository.path, '.git', 'review.txt');
    await main(['node', 'shipguard', 'review', repository.path, '--last', '1', '--out', table]);
    const text = readFileSync(table, 'utf8');
    expect(text).toContain('Review coverage: 0.0% (0 reviewed, 0 unknown offline, 1 unreviewed)');
    expect(text).toContain(direct.slice(0, 12));
  });

  it('rejects a bad window as a usage error (exit 2)', async () => {
    repository = createTestRepository();
    repository.commit('one');
    expect(await main(['node', 'shipguard', 'review', repository.path, '--last', 'many'])).toBe(2);
    expect(() => parseWindow({ since: '01/02/2026' }, 10)).toThrow(/YYYY-MM-DD/);
    expect(parseWindow({}, 10, '2026-01-01')).toEqual({ last: 10, since: '2026-01-01' });
  });
});
