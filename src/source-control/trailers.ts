/**
 * Commit message trailers (`Key: value` lines in the last paragraph), as git interprets them,
 * plus the Phabricator lines whose keys contain a space (`Differential Revision:`, `Reviewed By:`).
 */

export interface Trailer {
  /** Lower case, spaces as hyphens: `reviewed-by`, `differential-revision`. */
  key: string;
  value: string;
}

const trailerLine = /^([A-Za-z0-9][A-Za-z0-9-]{0,62}|Differential Revision|Reviewed By):[ \t]*(.*)$/;
const maxTrailerLines = 200;
/** Trailers git itself writes or that review tools write: a paragraph with one is a trailer block. */
const knownKeys = new Set([
  'signed-off-by',
  'reviewed-by',
  'approved-by',
  'acked-by',
  'tested-by',
  'reviewed-on',
  'co-authored-by',
  'change-id',
  'differential-revision',
  'cc',
]);

export function parseTrailers(message: string): Trailer[] {
  const paragraphs = message
    .replace(/\r\n/g, '\n')
    .trimEnd()
    .split(/\n[ \t]*\n/);
  // The subject alone is never a trailer block.
  if (paragraphs.length < 2) return [];
  const lines = (paragraphs[paragraphs.length - 1] ?? '').split('\n').slice(-maxTrailerLines);
  const trailers: Trailer[] = [];
  let other = 0;
  let known = false;
  for (const line of lines) {
    const last = trailers[trailers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const match = trailerLine.exec(line);
    if (!match) {
      other += 1;
      continue;
    }
    const key = (match[1] ?? '').toLowerCase().replace(/ /g, '-');
    if (knownKeys.has(key)) known = true;
    trailers.push({ key, value: (match[2] ?? '').trim() });
  }
  if (trailers.length === 0) return [];
  // Git accepts a block with other lines when at least a quarter are trailers and one is known.
  if (other > 0 && !(known && trailers.length * 3 >= other)) return [];
  return trailers;
}
