/**
 * Uploads streamed to disk: the body goes to a temporary file (mode 0600) while its SHA-256 is
 * computed, and the stream is stopped as soon as it passes the size limit, so no upload is ever
 * held whole in memory before it has been measured. The media type is checked before a byte is
 * read. A finished upload is kept content-addressed by its hash in the store's evidence table
 * (the layout signed records use), and the temporary file is removed whatever happens.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from './errors.js';

export interface UploadLimits {
  /** Media types (without parameters, lower case) the route takes. */
  mediaTypes: readonly string[];
  maxBytes: number;
  /** Where temporary files are written (a folder only the server's user can read). */
  folder: string;
}

export interface StreamedUpload {
  /** The temporary file; remove it with `discardUpload` (keepUpload does). */
  path: string;
  sha256: string;
  size: number;
  mediaType: string;
}

/** `application/json; charset=utf-8` → `application/json`; undefined when there is none. */
export function baseMediaType(contentType: string | undefined): string | undefined {
  const base = contentType?.split(';')[0]?.trim().toLowerCase();
  return base === undefined || base === '' ? undefined : base;
}

export function checkMediaType(contentType: string | undefined, allowed: readonly string[]): string {
  const mediaType = baseMediaType(contentType);
  if (mediaType === undefined || !allowed.includes(mediaType)) {
    throw new ApiError(
      'API_UPLOAD_MEDIA_TYPE',
      `${(mediaType ?? 'no media type').slice(0, 100)} is not accepted here (${allowed.join(', ')})`,
    );
  }
  return mediaType;
}

/** Counts and hashes what passes, and fails the pipeline at the first byte past the limit. */
function measuringStream(
  maxBytes: number,
  hash: ReturnType<typeof createHash>,
): Transform & { size: number } {
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      stream.size += chunk.length;
      if (stream.size > maxBytes) {
        callback(new ApiError('API_UPLOAD_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  }) as Transform & { size: number };
  stream.size = 0;
  return stream;
}

/**
 * Streams `body` to a temporary file under `limits.folder`, hashing as it goes. A declared
 * Content-Length over the limit is refused before reading; a body that grows past it is cut off.
 * On any failure the partial file is removed and the error is thrown.
 */
export async function streamUpload(
  body: Readable,
  request: { contentType: string | undefined; contentLength?: number },
  limits: UploadLimits,
): Promise<StreamedUpload> {
  const mediaType = checkMediaType(request.contentType, limits.mediaTypes);
  if (request.contentLength !== undefined && request.contentLength > limits.maxBytes) {
    throw new ApiError('API_UPLOAD_TOO_LARGE', `the upload is larger than ${limits.maxBytes} bytes`);
  }
  const path = join(limits.folder, `upload-${randomUUID()}.part`);
  const hash = createHash('sha256');
  const measure = measuringStream(limits.maxBytes, hash);
  try {
    await pipeline(body, measure, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    // A client that stops sending (or is cut off at the limit) leaves nothing behind.
    body.resume();
    throw error;
  }
  return { path, sha256: hash.digest('hex'), size: measure.size, mediaType };
}

export async function discardUpload(upload: StreamedUpload): Promise<void> {
  await rm(upload.path, { force: true });
}

/** The upload's bytes, read back from the temporary file (bounded by the limit it was streamed under). */
export async function readUpload(upload: StreamedUpload): Promise<Buffer> {
  return readFile(upload.path);
}
