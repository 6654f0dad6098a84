import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestRepository } from '../../testing/git-repository.js';

/** A bare repository on disk with one commit on `main` (its HEAD): a remote a fleet job can clone. */
export interface BareRemote {
  path: string;
  folder: string;
  remove(): void;
}

export function createBareRemote(
  name = 'origin',
  files: Record<string, string> = { 'package.json': '{"name":"app","version":"1.0.0"}\n' },
  options: { folder?: string } = {},
): BareRemote {
  const folder = options.folder ?? mkdtempSync(join(tmpdir(), 'shipguard-remote-'));
  const path = join(folder, `${name}.git`);
  using work = createTestRepository();
  work.write(files);
  work.commit('first');
  execFileSync('git', ['clone', '--quiet', '--bare', work.path, path], { stdio: 'ignore' });
  execFileSync('git', ['--git-dir', path, 'remote', 'remove', 'origin'], { stdio: 'ignore' });
  execFileSync('git', ['--git-dir', path, 'update-server-info'], { stdio: 'ignore' });
  return { path, folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
