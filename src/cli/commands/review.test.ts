import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { main } from '../program.js';
import { parseWindow } from './review.js';

let repository: TestRepository;
afterEach(() => repository.remove());

describe('shipguard review', () => {
  it('caches forge answers in the store given by --db: the second run revalidates and reuses them on 304', async () => {
    repository = createTestRepository();
    repository.commit('Add e (#12)');
    const received: { path: string; ifNoneMatch: string | undefined }[] = [];
    const bodies: Record<string, { etag: string; body: unknown }> = {
      '/repos/acme/app/pulls/12': { etag: '"p1"', body: { number: 12, user: { login: 'carol' } } },
      '/repos/acme/app/pulls/12/reviews': {
        etag: '"r1"',
        body: [{ user: { login: 'bob' }, state: 'APPROVED' }],
      },
    };
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const ifNoneMatch = request.headers['if-none-match'];
      received.push({
        path: url.pathname,
        ifNoneMatch: typeof ifNoneMatch === 'string' ? ifNoneMatch : undefined,
      });
      const entry = bodies[url.pathname];
      if (!entry) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{}');
      } else if (ifNoneMatch === entry.etag) {
        response.writeHead(304, { etag: entry.etag });
        response.end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json', etag: entry.etag });
        response.end(JSON.stringify(entry.body));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const variable = `SHIPGUARD_TEST_TOKEN_${process.pid}`;
    process.env[variable] = ['cli', 'cache', 'token'].join('-');
    try {
      const port = (server.address() as AddressInfo).port;
      repository.write({
        'shipguard.yaml': `review:\n  forge:\n    kind: github\n    project: acme/app\n    apiUrl: http://127.0.0.1:${port}\n    tokenEnv: ${variable}\n`,
      });
      const db = join(repository.path, '.git', 'review-store.db');
      const out = join(repository.path, '.git', 'review.json');
      const run = () =>
        main(['node', 'shipguard', 'review', repository.path, '--db', db, '--format', 'json', '--out', out]);
      expect(await run()).toBe(0);
      const first = JSON.parse(readFileSync(out, 'utf8'));
      expect(await run()).toBe(0);
      const second = JSON.parse(readFileSync(out, 'utf8'));
      expect(first.changes[0].verdict).toBe('reviewed');
      expect(second.changes).toEqual(first.changes);
      expect(received).toEqual([
        { path: '/repos/acme/app/pulls/12', ifNoneMatch: undefined },
        { path: '/repos/acme/app/pulls/12/reviews', ifNoneMatch: undefined },
        { path: '/repos/acme/app/pulls/12', ifNoneMatch: '"p1"' },
        { path: '/repos/acme/app/pulls/12/reviews', ifNoneMatch: '"r1"' },
      ]);
      expect(readFileSync(db).includes(Buffer.from(process.env[variable] ?? 'unset'))).toBe(false);
    } finally {
      delete process.env[variable];
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

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
