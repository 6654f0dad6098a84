/**
 * Form bodies: urlencoded (parsed by a bounded content-type parser) and multipart. A file part
 * takes the API's upload path (`streamUpload`): its declared type is checked before a byte is
 * read, it streams to a private temporary file while its SHA-256 is computed, and it is cut off
 * at the first byte past `limits.uploadBytes` (413), so an oversize file is never held whole.
 * The measured file is read back for the page route and the temporary file removed at once.
 * The parsed form sits on the request for the CSRF check and the page handler.
 */
import type { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import { ApiError, discardUpload, readUpload, type StreamedUpload, streamUpload } from './api/index.js';
import { acceptedUploadTypes, type UploadedFile } from './pages/index.js';
import { countFormUpload, formBytesToday } from './upload-quota.js';

export interface ParsedForm {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

/** Where file parts stream to, and how large one may be. */
export interface FormUploads {
  folder: string;
  maxBytes: number;
  /** A person's allowance per 24 hours, counted in the store (ASVS 12.1.3). */
  daily?: { bytes: number; store: Store; now: () => Date };
}

declare module 'fastify' {
  interface FastifyRequest {
    form: ParsedForm | null;
  }
  interface FastifyInstance {
    formUploads: FormUploads;
  }
}

/** A refusal the error handler answers with its status (413, 415) and a plain sentence. */
class FormUploadError extends Error {
  override readonly name = 'FormUploadError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The declared types a page upload may have; the page route then judges the content. */
const formUploadTypes = [...acceptedUploadTypes, 'application/octet-stream'];

/**
 * Registers the urlencoded parser (Fastify has none built in), the `form` slot and where file
 * parts stream to. Multipart's own per-file limit must be above `uploads.maxBytes` (the API's
 * stream is what cuts a file off).
 */
export function registerFormParsing(app: FastifyInstance, bodyLimit: number, uploads: FormUploads): void {
  app.decorateRequest('form', null);
  app.decorate('formUploads', uploads);
  // Pages take forms only: Fastify's JSON and plain-text parsers would let a body around the form
  // rules (a JSON object keeps the last of two equal keys). The API has parsers of its own.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const fields: Record<string, string> = Object.create(null);
      for (const [name, value] of new URLSearchParams(body as string)) {
        // No form of ours repeats a field: a repeated one is refused, never silently chosen from.
        if (name in fields) {
          done(repeatedField(name), undefined);
          return;
        }
        fields[name] = value;
      }
      done(null, fields);
    },
  );
}

function overQuota(bytes: number): FormUploadError {
  return new FormUploadError(
    429,
    'FORM_UPLOAD_QUOTA',
    `the files you uploaded in the last 24 hours reach the day's allowance of ${bytes} bytes (limits.uploadBytesPerDay)`,
  );
}

function repeatedField(name: string): FormUploadError {
  return new FormUploadError(
    400,
    'FORM_FIELD_REPEATED',
    `the form names the field ${name.slice(0, 100)} more than once`,
  );
}

/** One file part through the API's streaming path; the temporary file never outlives this call. */
async function streamFilePart(
  part: MultipartFile,
  uploads: FormUploads,
): Promise<{ upload: StreamedUpload; content: Buffer }> {
  let upload: StreamedUpload;
  try {
    upload = await streamUpload(
      part.file as Readable,
      { contentType: part.mimetype || 'application/octet-stream' },
      { mediaTypes: formUploadTypes, maxBytes: uploads.maxBytes, folder: uploads.folder },
    );
  } catch (error) {
    if (error instanceof ApiError && error.code === 'API_UPLOAD_TOO_LARGE')
      throw new FormUploadError(413, 'FORM_UPLOAD_TOO_LARGE', error.message, { cause: error });
    if (error instanceof ApiError && error.code === 'API_UPLOAD_MEDIA_TYPE')
      throw new FormUploadError(415, 'FORM_UPLOAD_MEDIA_TYPE', error.message, { cause: error });
    throw error;
  }
  try {
    // Multipart's own limit would have ended the part early: never take a cut-off file as whole.
    if (part.file.truncated)
      throw new FormUploadError(
        413,
        'FORM_UPLOAD_TOO_LARGE',
        `the upload is larger than ${uploads.maxBytes} bytes`,
      );
    return { upload, content: await readUpload(upload) };
  } finally {
    await discardUpload(upload);
  }
}

/** Reads the request's form once (multipart or urlencoded) into `request.form`. */
export async function readForm(request: FastifyRequest): Promise<void> {
  const form: ParsedForm = { fields: Object.create(null), files: Object.create(null) };
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      if (part.fieldname in form.fields || part.fieldname in form.files) {
        // Drain nothing further: the whole request is refused (parameter pollution, ASVS 5.1.1).
        throw repeatedField(part.fieldname);
      }
      if (part.type === 'file') {
        const uploads = request.server.formUploads;
        // Files come only from a signed-in person (the sign-in forms take none), and count
        // against that person's daily allowance.
        const person = request.auth?.user?.id;
        if (person === undefined)
          throw new FormUploadError(
            401,
            'FORM_UPLOAD_ANONYMOUS',
            'files are accepted only from a signed-in person',
          );
        const daily = uploads.daily;
        const before = daily ? await formBytesToday(daily.store, person, daily.now()) : 0;
        if (daily && before >= daily.bytes) throw overQuota(daily.bytes);
        const { upload, content } = await streamFilePart(part, uploads);
        if (daily) {
          await countFormUpload(daily.store, person, upload.size, daily.now());
          if (before + upload.size > daily.bytes) throw overQuota(daily.bytes);
        }
        if (part.filename === '' && upload.size === 0) continue;
        form.files[part.fieldname] = {
          fileName: part.filename.slice(0, 200),
          mediaType: part.mimetype || 'application/octet-stream',
          content,
          sha256: upload.sha256,
        };
      } else {
        // The parser cuts a value past its field size and says so: a cut text is never taken as whole.
        if (part.valueTruncated || part.fieldnameTruncated)
          throw new FormUploadError(
            413,
            'FORM_FIELD_TOO_LARGE',
            `the form field ${part.fieldname.slice(0, 100)} is longer than a field may be`,
          );
        form.fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
  } else if (request.body && typeof request.body === 'object') {
    for (const [name, value] of Object.entries(request.body as Record<string, unknown>)) {
      if (typeof value === 'string') form.fields[name] = value;
    }
  }
  request.form = form;
}
