/**
 * Form bodies: urlencoded (parsed by a bounded content-type parser) and multipart (read part by
 * part under @fastify/multipart's limits; a file part over the size limit fails the request with
 * 413). The parsed form sits on the request for the CSRF check and the page handler.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UploadedFile } from './pages/index.js';

export interface ParsedForm {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

declare module 'fastify' {
  interface FastifyRequest {
    form: ParsedForm | null;
  }
}

/** Registers the urlencoded parser (Fastify has none built in) and the `form` slot. */
export function registerFormParsing(app: FastifyInstance, bodyLimit: number): void {
  app.decorateRequest('form', null);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const fields: Record<string, string> = Object.create(null);
      for (const [name, value] of new URLSearchParams(body as string)) fields[name] = value;
      done(null, fields);
    },
  );
}

/** Reads the request's form once (multipart or urlencoded) into `request.form`. */
export async function readForm(request: FastifyRequest): Promise<void> {
  const form: ParsedForm = { fields: Object.create(null), files: Object.create(null) };
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.filename === '' && content.length === 0) continue;
        form.files[part.fieldname] = {
          fileName: part.filename.slice(0, 200),
          mediaType: part.mimetype || 'application/octet-stream',
          content,
        };
      } else {
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
