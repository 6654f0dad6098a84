import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl, scrubPassword } from './errors.js';

const secret = ['s3cr', 'et-', 'pa%40ss'].join('');

describe('redactDatabaseUrl', () => {
  it('hides the password in the user part and in query parameters', () => {
    expect(redactDatabaseUrl(`postgres://ada:${secret}@db.internal:5432/shipguard?sslmode=require`)).toBe(
      'postgres://ada:***@db.internal:5432/shipguard?sslmode=require',
    );
    expect(redactDatabaseUrl(`postgresql://db.internal/x?user=ada&password=${secret}`)).toBe(
      'postgresql://db.internal/x?user=ada&password=***',
    );
    expect(redactDatabaseUrl('postgres://ada@db.internal/x')).toBe('postgres://ada@db.internal/x');
  });

  it('does not echo text that is not a URL', () => {
    expect(redactDatabaseUrl(`postgres://ada:${secret}@[bad`)).toBe('(a URL that does not parse)');
  });
});

describe('scrubPassword', () => {
  it('removes the password, encoded or decoded, from a driver message', () => {
    const url = `postgres://ada:${secret}@db.internal/x`;
    const message = `could not connect with ${url}; password ${decodeURIComponent(secret)} rejected`;
    const scrubbed = scrubPassword(message, url);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).not.toContain(decodeURIComponent(secret));
    expect(scrubbed).toContain('postgres://ada:***@db.internal/x');
  });
});
