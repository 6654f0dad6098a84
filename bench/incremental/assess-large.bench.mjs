// Assess of a large repository, cold and warm lockfile-parse cache, plus the lockfile history
// read alone with its parse counts. Each assess is a whole process under GNU time (%e s, %M KB).
// Usage: node bench/incremental/assess-large.bench.mjs --repo PATH [--runs 2]  (needs a built dist/)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { repo: { type: 'string' }, runs: { type: 'string', default: '2' } },
});
if (!values.repo) throw new Error('usage: --repo PATH');
const repo = values.repo;
const runs = Number(values.runs);
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const { openStore } = await import(join(dist, 'store', 'index.js'));
const { readLockfileHistory, StoreLockfileParseCache } = await import(join(dist, 'vulns', 'index.js'));

const commits = execFileSync('git', ['-C', repo, 'rev-list', '--count', 'HEAD']).toString().trim();
console.log(
  `repository: ${repo} (${commits} commits, HEAD ${execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']).toString().trim()})`,
);

function freshStore() {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-bench-incremental-'));
  return { folder, path: join(folder, 'store.db') };
}

// 1. The lockfile history alone (what patch latency reads), as the collector reads it.
const lockfiles = execFileSync('git', ['-C', repo, 'ls-files'])
  .toString()
  .split('\n')
  .filter((path) => /(^|\/)(pnpm-lock\.yaml|package-lock\.json|yarn\.lock)$/.test(path));
{
  const location = freshStore();
  const store = await openStore({ kind: 'sqlite', path: location.path });
  const cache = new StoreLockfileParseCache(store);
  for (const label of ['cold', 'warm']) {
    const stats = { parsed: 0, cached: 0 };
    const started = performance.now();
    const history = await readLockfileHistory(repo, lockfiles, {
      maxCommits: 100,
      maxBytes: 128 * 1024 * 1024,
      cache,
      stats,
    });
    const ms = performance.now() - started;
    console.log(
      `history ${label}: ${history.length} versions of ${lockfiles.length} lockfile(s), parsed ${stats.parsed}, from cache ${stats.cached}, ${ms.toFixed(0)} ms`,
    );
  }
  await store.close();
  rmSync(location.folder, { recursive: true, force: true });
}

// 2. Whole assess processes: a fresh store (cold cache), then the same store again (warm).
const cli = join(dist, 'cli', 'main.js');
for (let run = 0; run < runs; run++) {
  const location = freshStore();
  const store = await openStore({ kind: 'sqlite', path: location.path });
  await store.close();
  for (const label of ['cold', 'warm']) {
    const result = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%e s %M KB',
        process.execPath,
        cli,
        'assess',
        repo,
        '--no-save',
        '--db',
        location.path,
        '--fail-on',
        'none',
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const timing = result.stderr.trim().split('\n').pop();
    console.log(`assess ${label} (run ${run + 1}): ${timing}`);
  }
  rmSync(location.folder, { recursive: true, force: true });
}
