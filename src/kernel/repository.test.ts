import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('says which links and special files it passed over outside git, never silently', async () => {
    folder = mkdtempSync(join(tmpdir(), 'shipguard-snapshot-'));
    writeFileSync(join(folder, 'app.yaml'), 'kind: Service\n');
    symlinkSync('/etc/hostname', join(folder, 'outside.yaml'));
    execFileSync('mkfifo', [join(folder, 'pipe')]);
    const snapshot = await RepositorySnapshot.open(folder);
    expect(snapshot.files).toEqual(['app.yaml']);
    const passed = snapshot.problems.find((problem) => problem.code === 'FILES_NOT_READ');
    expect(passed?.message).toContain('2 link(s) or special file(s)');
    expect(passed?.message).toContain('outside.yaml');
    expect(passed?.message).toContain('pipe');
  });
});
