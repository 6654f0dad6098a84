import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from './repository.js';

describe('RepositorySnapshot reads', () => {
  let folder: string | undefined;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('reports a truncated whole-file read as a problem, but not a deliberate read of the head', async () => {
    folder = mkdtempSync(join(tmpdir(), 'shipguard-snapshot-'));
    writeFileSync(join(folder, 'big.yaml'), `kind: Deployment\n${'x: 1\n'.repeat(1000)}`);
    const head = await RepositorySnapshot.open(folder);
    const start = await head.readHead('big.yaml', 64);
    expect(start?.text.startsWith('kind: Deployment')).toBe(true);
    expect(start?.truncated).toBe(true);
    expect(head.problems).toEqual([]);

    const whole = await RepositorySnapshot.open(folder);
    await whole.readText('big.yaml', 64);
    expect(whole.problems.map((problem) => problem.code)).toEqual(['FILE_TOO_LARGE']);
  });
});
