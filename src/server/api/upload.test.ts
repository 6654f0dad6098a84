/** Streaming an upload to disk: hashed while it streams, cut off past its limit, type checked first. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { discardUpload, streamUpload } from './upload.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function limits(maxBytes: number) {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-upload-test-'));
  folders.push(folder);
  return { folder, maxBytes, mediaTypes: ['application/json'] };
}

function chunks(count: number, size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      sent += 1;
      this.push(sent > count ? null : Buffer.alloc(size, sent));
    },
  });
}

describe('streamUpload', () => {
  it('writes the body to a private temporary file and hashes it as it streams', async () => {
    const limit = limits(1024 * 1024);
    const upload = await streamUpload(
      chunks(10, 1000),
      { contentType: 'application/json; charset=utf-8' },
      limit,
    );
    const bytes = readFileSync(upload.path);
    expect(statSync(upload.path).mode & 0o777).toBe(0o600);
    expect(upload).toMatchObject({ size: 10_000, mediaType: 'application/json' });
    expect(upload.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    await discardUpload(upload);
    expect(readdirSync(limit.folder)).toEqual([]);
  });

  it('stops a body at its limit and removes what was written', async () => {
    const limit = limits(5000);
    const source = chunks(1000, 1000);
    const error = await streamUpload(source, { contentType: 'application/json' }, limit).catch(
      (caught: unknown) => caught,
    );
    expect((error as ApiError).code).toBe('API_UPLOAD_TOO_LARGE');
    expect(readdirSync(limit.folder)).toEqual([]);
  });

  it('refuses a declared length over the limit, and a media type not allowed, before reading', async () => {
    const limit = limits(5000);
    let read = false;
    const source = new Readable({
      read() {
        read = true;
        this.push(null);
      },
    });
    for (const request of [
      { contentType: 'application/json', contentLength: 5001 },
      { contentType: 'text/html' },
      { contentType: undefined },
    ]) {
      const error = await streamUpload(source, request, limit).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
    }
    expect(read).toBe(false);
    expect(readdirSync(limit.folder)).toEqual([]);
  });
});
