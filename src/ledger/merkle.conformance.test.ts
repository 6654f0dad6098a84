import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LedgerError } from './errors.js';
import { verifyInclusion } from './merkle.js';
import { parseInclusionProofFile } from './proof-file.js';

// ../shared/corpora relative to the repository root; this file is at src/ledger/.
const corpus = fileURLToPath(new URL('../../../shared/corpora/merkle/', import.meta.url));
const present = existsSync(corpus);

function listJsonFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...listJsonFiles(path));
    else if (name.endsWith('.json')) files.push(path);
  }
  return files;
}

function check(path: string): LedgerError | undefined {
  try {
    verifyInclusion(parseInclusionProofFile(readFileSync(path, 'utf8'), path));
    return undefined;
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
}

describe.skipIf(!present)('RFC 6962/9162 inclusion vectors (transparency-dev/merkle)', () => {
  const cases = present ? listJsonFiles(join(corpus, 'inclusion')) : [];

  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(50);
  });

  it.each(cases.map((path) => [path.slice(corpus.length), path]))('%s', (_name, path) => {
    const { wantErr } = JSON.parse(readFileSync(path, 'utf8')) as { wantErr: boolean };
    const error = check(path);
    if (wantErr) expect(error?.code).toMatch(/^PROOF_(INVALID|MALFORMED)$/);
    else expect(error).toBeUndefined();
  });
});

if (!present) {
  describe('RFC 6962/9162 inclusion vectors', () => {
    it.skip(`corpus not found at ${corpus}`, () => {});
  });
}
