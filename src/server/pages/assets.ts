import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  /** Strong ETag: the SHA-256 of the body. */
  etag: string;
}

let stylesheetAsset: StaticAsset | undefined;

/** The pages' one stylesheet, read once from next to this module (copied into dist/ by the build). */
export function stylesheet(): StaticAsset {
  if (stylesheetAsset) return stylesheetAsset;
  const body = readFileSync(fileURLToPath(new URL('./assets/pages.css', import.meta.url)));
  stylesheetAsset = {
    body,
    contentType: 'text/css; charset=utf-8',
    etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
  };
  return stylesheetAsset;
}
