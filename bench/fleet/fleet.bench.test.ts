/**
 * The fleet under load: FLEET_BENCH_REPOS generated repositories (default 1,000, each a bare
 * repository written by `git fast-import`: three commits, a package.json and lockfile, a CI
 * workflow, a README), assessed
 * - by FLEET_BENCH_WORKERS `shipguard worker` processes (default 3, FLEET_BENCH_CONCURRENCY jobs
 *   each, default 1) on PostgreSQL with pg-boss, and
 * - by the embedded mode, `shipguard fleet assess --all -j FLEET_BENCH_EMBEDDED_CONCURRENCY`
 *   (default 2) on SQLite.
 * Reported: throughput, per-job latency (p50, p95, max, as the workers log it) and peak resident
 * memory of each process (VmHWM from /proc). FLEET_BENCH_MODE=postgres|embedded runs one half.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../../src/fleet/__fixtures__/worker-process.js';
import { addRepositories, scheduleTick } from '../../src/fleet/index.js';
import { readHead } from '../../src/ledger/index.js';
import { identifyRepository } from '../../src/source-control/index.js';
import { createTestSchema, probePostgres } from '../../src/store/__fixtures__/postgres-server.js';
import { openStore, type Store } from '../../src/store/index.js';
import { openTestFleet } from '../../src/testing/fleet-queue.js';

const repositoryCount = Number(process.env['FLEET_BENCH_REPOS'] ?? 1_000);
const workerCount = Number(process.env['FLEET_BENCH_WORKERS'] ?? 3);
const concurrency = Number(process.env['FLEET_BENCH_CONCURRENCY'] ?? 1);
const embeddedConcurrency = Number(process.env['FLEET_BENCH_EMBEDDED_CONCURRENCY'] ?? 2);
const mode = process.env['FLEET_BENCH_MODE'] ?? 'both';

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** A fast-import stream: three commits on main touching a manifest, its lockfile, CI and a README. */
function stream(index: number): string {
  const lines: string[] = [];
  const blob = (mark: number, text: string) => {
    lines.push('blob', `mark :${mark}`, `data ${Buffer.byteLength(text)}`, text);
  };
  const dependencies = Object.fromEntries(
    Array.from({ length: 20 }, (_, n) => [`dep-${(index + n) % 97}`, `^1.${n}.0`]),
  );
  const lockPackages: Record<string, unknown> = {
    '': { name: `repo-${index}`, version: '1.0.0', dependencies },
  };
  for (const [name] of Object.entries(dependencies)) {
    lockPackages[`node_modules/${name}`] = { version: `1.${index % 7}.0`, license: 'MIT' };
  }
  blob(1, '# generated repository\n');
  blob(2, `${JSON.stringify({ name: `repo-${index}`, version: '1.0.0', dependencies }, null, 2)}\n`);
  blob(
    3,
    `${JSON.stringify({ name: `repo-${index}`, version: '1.0.0', lockfileVersion: 3, requires: true, packages: lockPackages }, null, 2)}\n`,
  );
  blob(
    4,
    'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n',
  );
  const files = [
    ['README.md', 1],
    ['package.json', 2],
    ['package-lock.json', 3],
    ['.github/workflows/ci.yml', 4],
  ] as const;
  for (let commit = 0; commit < 3; commit++) {
    const time = 1_780_000_000 + index * 100 + commit * 10;
    const message = `change ${commit}\n`;
    lines.push(
      'commit refs/heads/main',
      `mark :${100 + commit}`,
      `author Ada Tester <ada@example.com> ${time} +0000`,
      `committer Ada Tester <ada@example.com> ${time} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message,
    );
    if (commit > 0) lines.push(`from :${99 + commit}`);
    for (const [path, mark] of files.slice(0, commit + 2)) lines.push(`M 100644 :${mark} ${path}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function generate(folder: string): string[] {
  mkdirSync(folder, { recursive: true });
  const paths: string[] = [];
  for (let index = 0; index < repositoryCount; index++) {
    const path = join(folder, `repo-${index}.git`);
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', path], { env });
    execFileSync('git', ['fast-import', '--quiet'], { cwd: path, env, input: stream(index) });
    paths.push(path);
  }
  return paths;
}

/** Peak resident memory of a running process, in MB (VmHWM). */
function peakMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function durations(log: string): number[] {
  return [...log.matchAll(/recorded \S+ run \S+ in (\d+) ms/g)].map((match) => Number(match[1]));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function describeLatency(values: number[]): string {
  return `p50 ${percentile(values, 50)} ms, p95 ${percentile(values, 95)} ms, max ${Math.max(...values)} ms`;
}

async function count(store: Store, table: string): Promise<number> {
  const result = await sql<{
    count: string | number;
  }>`select count(*) as count from ${sql.table(table)}`.execute(store.db);
  return Number(result.rows[0]?.count ?? 0);
}

/** Waits (polling, sampling each process's peak memory) until `done`. */
async function watch(
  processes: WorkerProcess[],
  peaks: number[],
  done: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    processes.forEach((process, index) => {
      const peak = peakMb(process.child.pid);
      if (!Number.isNaN(peak)) peaks[index] = Math.max(peaks[index] ?? 0, peak);
    });
    if (await done()) return;
    if (processes.some((process) => process.child.exitCode !== null))
      throw new Error(`a process exited early:\n${processes.map((p) => p.log.slice(-2000)).join('\n')}`);
    await sleep(500);
  }
}

it(`assesses ${repositoryCount} repositories with ${workerCount} workers on PostgreSQL and embedded`, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-fleet-bench-'));
  try {
    const generateStart = performance.now();
    const paths = generate(join(folder, 'remotes'));
    console.log(
      `generated ${paths.length} repositories with git fast-import in ${Math.round(performance.now() - generateStart)} ms`,
    );
    const identities = await Promise.all(paths.map((path) => identifyRepository(path)));

    if (mode !== 'embedded') {
      const postgres = await probePostgres();
      expect(postgres.reachable).toBe(true);
      const schema = await createTestSchema();
      const fleet = await openTestFleet(schema, {});
      const { store, queue, queueSchema } = fleet;
      const workers: WorkerProcess[] = [];
      try {
        await addRepositories(store, identities, { staggerSeconds: 0 });
        const queued = await scheduleTick(store, queue.enqueue, { inFlightLimit: repositoryCount });
        expect(queued).toHaveLength(repositoryCount);
        const start = performance.now();
        for (let index = 0; index < workerCount; index++) {
          workers.push(
            startWorkerProcess([
              '--db',
              schema.url,
              '--queue-schema',
              queueSchema,
              '--cache',
              join(folder, `cache-${index}`),
              '-j',
              String(concurrency),
              '--tick-seconds',
              '0',
              '--polling-seconds',
              '0.5',
            ]),
          );
        }
        const peaks: number[] = [];
        await watch(workers, peaks, async () => (await count(store, 'fleet_runs')) >= repositoryCount);
        const seconds = (performance.now() - start) / 1000;
        const latencies = workers.flatMap((worker) => durations(worker.log));
        expect(await count(store, 'fleet_runs')).toBe(repositoryCount);
        expect(await count(store, 'assessments')).toBe(repositoryCount);
        expect((await readHead(store)).size).toBe(repositoryCount);
        console.log(
          [
            `PostgreSQL, ${workerCount} workers × ${concurrency}: ${repositoryCount} jobs in ${seconds.toFixed(1)} s = ${(repositoryCount / seconds).toFixed(2)} jobs/s (including worker start-up)`,
            `  per-job latency (handler): ${describeLatency(latencies)}`,
            `  jobs per worker: ${workers.map((worker) => durations(worker.log).length).join(', ')}`,
            `  peak resident memory per worker: ${peaks.map((peak) => `${Math.round(peak)} MB`).join(', ')}`,
          ].join('\n'),
        );
      } finally {
        for (const worker of workers) worker.child.kill('SIGTERM');
        await Promise.all(workers.map((worker) => worker.exited));
        await fleet.close();
        await schema.drop();
      }
    }

    if (mode !== 'postgres') {
      const db = join(folder, 'embedded.db');
      const store = await openStore({ kind: 'sqlite', path: db });
      await addRepositories(store, identities, { staggerSeconds: 0 });
      await store.close();
      const { spawn } = await import('node:child_process');
      const register = new URL('../../src/testing/ts-register.mjs', import.meta.url).pathname;
      const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
      const start = performance.now();
      const child = spawn(
        process.execPath,
        [
          '--experimental-transform-types',
          '--no-warnings',
          '--import',
          register,
          main,
          'fleet',
          'assess',
          '--all',
          '--db',
          db,
          '--cache',
          join(folder, 'cache-embedded'),
          '-j',
          String(embeddedConcurrency),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let log = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        log += chunk;
      });
      let peak = 0;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let code: number | null | undefined;
      exited.then((value) => {
        code = value;
      });
      while (code === undefined) {
        const sample = peakMb(child.pid);
        if (!Number.isNaN(sample)) peak = Math.max(peak, sample);
        await sleep(250);
      }
      const seconds = (performance.now() - start) / 1000;
      expect(code).toBe(0);
      const latencies = [...log.matchAll(/: recorded in (\d+) ms/g)].map((match) => Number(match[1]));
      const reopened = await openStore({ kind: 'sqlite', path: db });
      try {
        expect(await count(reopened, 'fleet_runs')).toBe(repositoryCount);
        expect((await readHead(reopened)).size).toBe(repositoryCount);
      } finally {
        await reopened.close();
      }
      console.log(
        [
          `embedded (SQLite), one process × ${embeddedConcurrency}: ${repositoryCount} jobs in ${seconds.toFixed(1)} s = ${(repositoryCount / seconds).toFixed(2)} jobs/s (including start-up)`,
          `  per-job latency (handler): ${describeLatency(latencies)}`,
          `  peak resident memory: ${Math.round(peak)} MB`,
        ].join('\n'),
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
