import { execFile, execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from './output.js';

const sourceRoot = join(import.meta.dirname, '..');
/** The two files allowed to touch the process streams: the sink itself and the launcher's fixed warning. */
const allowed = new Set(['cli/output.ts', 'cli/main.ts']);

async function sourceFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    files.push(join(entry.parentPath, entry.name));
  }
  return files;
}

describe('the output boundary', () => {
  it('is the only code that writes to stdout or stderr, so nothing bypasses redaction', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(sourceRoot)) {
      const path = relative(sourceRoot, file).split('\\').join('/');
      if (allowed.has(path) || path.startsWith('testing/') || path.includes('__fixtures__')) continue;
      const text = await readFile(file, 'utf8');
      if (
        /process\.(?:stdout|stderr)\.write\(|console\.(?:log|error|warn|info)\(/.test(
          text.replace(/^\s*\*.*$/gm, ''),
        )
      )
        offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });

  it('reads unredacted repository text only in the collectors that look for credentials in content', async () => {
    const callers: string[] = [];
    for (const file of await sourceFiles(sourceRoot)) {
      const path = relative(sourceRoot, file).split('\\').join('/');
      if (path === 'kernel/repository.ts') continue;
      if ((await readFile(file, 'utf8')).includes('readUnredactedText(')) callers.push(path);
    }
    expect(callers.sort()).toEqual([
      'collectors/environments/collect.ts',
      'collectors/sensitive-files/collect.ts',
    ]);
  });
});

describe('writing a report to a path', () => {
  it('writes through a pipe or device instead of replacing it with a file (-o /dev/null)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-output-'));
    try {
      const fifo = join(folder, 'report.pipe');
      execFileSync('mkfifo', [fifo]);
      // The reader opens the pipe; the write below then has somewhere to go.
      const reading = execFile('cat', [fifo], { encoding: 'utf8' });
      const received = new Promise<string>((resolve) => {
        let text = '';
        reading.stdout?.on('data', (chunk: string) => {
          text += chunk;
        });
        reading.on('close', () => resolve(text));
      });
      await writeFileAtomically(fifo, 'report\n');
      const stillAPipe = lstatSync(fifo).isFIFO();
      // Replaced by a file, the pipe would never see a writer: stop the reader rather than hang.
      if (!stillAPipe) reading.kill();
      expect(stillAPipe).toBe(true);
      expect(await received).toBe('report\n');
      expect(readdirSync(folder)).toEqual(['report.pipe']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 30_000);
});
