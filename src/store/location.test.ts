import { describe, expect, it } from 'vitest';
import { describeStoreLocation, parseStoreLocation, resolveStoreLocation } from './location.js';

const cwd = '/home/ada/work';
const root = '/home/ada/work/shop';

describe('resolveStoreLocation', () => {
  it('takes --db first, then SHIPGUARD_DB, then the repository root, then the current folder', () => {
    const env = { SHIPGUARD_DB: '/var/lib/shipguard/env.db' };
    expect(resolveStoreLocation({ db: 'custom.db', env, repositoryRoot: root, cwd })).toEqual({
      kind: 'sqlite',
      path: '/home/ada/work/custom.db',
    });
    expect(resolveStoreLocation({ env, repositoryRoot: root, cwd })).toEqual({
      kind: 'sqlite',
      path: '/var/lib/shipguard/env.db',
    });
    expect(resolveStoreLocation({ env: {}, repositoryRoot: root, cwd })).toEqual({
      kind: 'sqlite',
      path: '/home/ada/work/shop/.shipguard/shipguard.db',
    });
    expect(resolveStoreLocation({ env: {}, cwd })).toEqual({
      kind: 'sqlite',
      path: '/home/ada/work/.shipguard/shipguard.db',
    });
  });

  it('treats an empty SHIPGUARD_DB as unset, but an empty --db as a mistake', () => {
    expect(resolveStoreLocation({ env: { SHIPGUARD_DB: '' }, repositoryRoot: root, cwd })).toEqual({
      kind: 'sqlite',
      path: '/home/ada/work/shop/.shipguard/shipguard.db',
    });
    expect(() => resolveStoreLocation({ db: '', env: {}, cwd })).toThrow(
      expect.objectContaining({ code: 'STORE_INVALID_LOCATION' }),
    );
  });

  it('reads PostgreSQL URLs of both schemes and :memory:', () => {
    expect(resolveStoreLocation({ db: 'postgres://ci@db.internal/shipguard', cwd })).toEqual({
      kind: 'postgres',
      url: 'postgres://ci@db.internal/shipguard',
    });
    expect(
      resolveStoreLocation({ env: { SHIPGUARD_DB: 'PostgreSQL://ci@db.internal:6432/x' }, cwd }),
    ).toEqual({
      kind: 'postgres',
      url: 'PostgreSQL://ci@db.internal:6432/x',
    });
    expect(resolveStoreLocation({ db: ':memory:', cwd })).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('rejects other schemes, URLs without a host and control characters', () => {
    for (const db of [
      'mysql://root@db/x',
      'sqlite://x.db',
      'postgres://',
      'a\u0000b.db',
      'x'.repeat(5_000),
    ]) {
      expect(() => resolveStoreLocation({ db, cwd }), db.slice(0, 20)).toThrow(
        expect.objectContaining({ code: 'STORE_INVALID_LOCATION' }),
      );
    }
  });

  it('never puts a password in its errors or descriptions', () => {
    const secret = ['hunter', String(2 * 21)].join('');
    const url = `postgres://ada:${secret}@[::1/db`;
    let message = '';
    try {
      parseStoreLocation(url, cwd, '--db');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('--db');
    expect(message).not.toContain(secret);
    expect(describeStoreLocation({ kind: 'postgres', url: `postgres://ada:${secret}@db/x` })).toBe(
      'postgres://ada:***@db/x',
    );
  });
});
