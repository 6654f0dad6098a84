import { parseCobertura, parseLcov } from './coverage.js';
import { EvidenceImportError } from './errors.js';
import { parseJunit } from './junit.js';
import type { EvidenceFormat, ParsedEvidence } from './model.js';
import { isObject, malformed, parseJson } from './parse-support.js';
import { parseSarif } from './sarif.js';
import { parseTestssl } from './testssl.js';
import { parseZap } from './zap.js';

/** The largest evidence file taken in; larger reports are refused, never read whole. */
export const maxEvidenceFileBytes = 64 * 1024 * 1024;

export type FormatChoice = EvidenceFormat | 'auto';

/**
 * Reads an evidence file's bytes as `format` (or the format its content shows, for `auto`).
 * Everything in the file is hostile: it must be UTF-8, bounded, and every string kept from it
 * passes the redaction boundary.
 */
export function parseEvidenceFile(bytes: Buffer, fileName: string, format: FormatChoice): ParsedEvidence {
  if (bytes.length > maxEvidenceFileBytes) {
    throw malformed(fileName, `larger than ${maxEvidenceFileBytes / 1024 / 1024} MiB`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw malformed(fileName, 'not UTF-8 text');
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const chosen = format === 'auto' ? detectFormat(fileName, text) : format;
  switch (chosen) {
    case 'sarif':
      return parseSarif(fileName, parseJson(fileName, text));
    case 'zap':
      return parseZap(fileName, parseJson(fileName, text));
    case 'testssl':
      return parseTestssl(fileName, parseJson(fileName, text));
    case 'junit':
      return parseJunit(fileName, text);
    case 'cobertura':
      return parseCobertura(fileName, text);
    case 'lcov':
      return parseLcov(fileName, text);
  }
}

/** Recognises a format from the content (never from the name alone). */
export function detectFormat(fileName: string, text: string): EvidenceFormat {
  const start = text.trimStart();
  if (start.startsWith('<')) {
    const root = /<(?!\?|!)([A-Za-z_][\w.-]*)/.exec(start.slice(0, 64 * 1024))?.[1];
    if (root === 'testsuites' || root === 'testsuite') return 'junit';
    if (root === 'coverage') return 'cobertura';
  } else if (start.startsWith('{') || start.startsWith('[')) {
    const document = parseJson(fileName, text);
    if (isObject(document)) {
      if (Array.isArray(document['runs']) && typeof document['version'] === 'string') return 'sarif';
      if (Array.isArray(document['site']) && ('@version' in document || '@generated' in document))
        return 'zap';
      if (Array.isArray(document['scanResult'])) return 'testssl';
    } else if (Array.isArray(document)) {
      const first = document[0];
      if (isObject(first) && 'id' in first && 'severity' in first && 'finding' in first) return 'testssl';
    }
  } else if (/^(TN|SF):/m.test(start.slice(0, 4096)) && text.includes('end_of_record')) {
    return 'lcov';
  }
  throw new EvidenceImportError(
    'EVIDENCE_FORMAT_UNKNOWN',
    `${fileName}: not a format shipguard recognises (SARIF 2.1.0, JUnit XML, ZAP JSON, testssl.sh JSON, lcov, Cobertura XML); name it with --format`,
    { location: { path: fileName } },
  );
}
