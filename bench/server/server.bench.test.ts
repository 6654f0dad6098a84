/**
 * The server under load (issue 15's Load item): PostgreSQL seeded with SERVER_BENCH_REPOS
 * repositories (default 1,000) assessed daily for SERVER_BENCH_DAYS (default 365); the API in a
 * process of its own; autocannon in another process at SERVER_BENCH_RATE requests/s (default 200)
 * for SERVER_BENCH_SECONDS (default 30) against GET /api/v1/portfolio with a valid token, after a
 * warm-up of SERVER_BENCH_WARMUP seconds (default 5) at the same rate, reported apart.
 * Reported: seeding time, latency p50/p99 (autocannon), non-2xx answers, the portfolio query
 * in-process, and the portfolio page (read model + HTML) render time; the machine's load average.
 * SERVER_BENCH_BEFORE=1 also loads the pages' read model behind the same URL (the "before").
 * SERVER_BENCH_URL=postgres://…?options=-c%20search_path%3D<schema> seeds that database once and
 * keeps it (a later run with the same URL skips seeding), instead of a throw-away schema.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { api, pages } from '../../src/server/index.js';
import { createTestSchema, probePostgres } from '../../src/store/__fixtures__/postgres-server.js';
import { openStore } from '../../src/store/index.js';
import { seedPortfolio } from './seed.js';

const repositories = Number(process.env['SERVER_BENCH_REPOS'] ?? 1_000);
const days = Number(process.env['SERVER_BENCH_DAYS'] ?? 365);
const rate = Number(process.env['SERVER_BENCH_RATE'] ?? 200);
const seconds = Number(process.env['SERVER_BENCH_SECONDS'] ?? 30);
const warmup = Number(process.env['SERVER_BENCH_WARMUP'] ?? 5);
const register = fileURLToPath(new URL('../../src/testing/ts-register.mjs', import.meta.url));
const apiProcess = fileURLToPath(new URL('./api-process.ts', import.meta.url));
const autocannon = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(runs: number, work: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return { median: Math.round(median(times) * 10) / 10, max: Math.round(Math.max(...times) * 10) / 10 };
}

async function startApi(
  db: string,
  mode: 'api' | 'page-model',
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--experimental-transform-types', '--no-warnings', '--import', register, apiProcess],
    {
      env: { ...process.env, SERVER_BENCH_DB: db, SERVER_BENCH_PORTFOLIO: mode },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`the API process exited (${code})`)));
  });
  return { url, child };
}

interface Load {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  throughputMBs: number;
}

async function load(url: string, token: string, duration: number, gzip: boolean): Promise<Load> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      autocannon,
      '-j',
      '-R',
      String(rate),
      '-c',
      '20',
      '-d',
      String(duration),
      '-H',
      `authorization=Bearer ${token}`,
      ...(gzip ? ['-H', 'accept-encoding=gzip'] : []),
      `${url}/api/v1/portfolio`,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as {
    latency: { p50: number; p90: number; p99: number; max: number };
    requests: { total: number };
    non2xx: number;
    errors: number;
    throughput: { average: number };
  };
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    throughputMBs: Math.round((result.throughput.average / 1e6) * 10) / 10,
  };
}

it('serves the portfolio of a year of daily assessments of 1,000 repositories', async () => {
  const probe = await probePostgres();
  expect(probe.reachable, `PostgreSQL: ${probe.reason}`).toBe(true);
  const kept = process.env['SERVER_BENCH_URL'];
  const schema = kept === undefined ? await createTestSchema() : undefined;
  const url = kept ?? schema?.url ?? '';
  const store = await openStore({ kind: 'postgres', url });
  try {
    const now = new Date();
    if ((await store.listAssessments({ limit: 1 })).length === 0) {
      const seedStart = performance.now();
      const seeded = await seedPortfolio(store, { repositories, days }, now);
      const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
      console.log(
        `seeded ${seeded.assessments} assessments, ${seeded.controlResults} control results in ${seedSeconds} s`,
      );
    }
    const { token } = await api.createApiToken(store, {
      name: 'bench',
      roles: ['auditor'],
      repositories: [api.everyRepository],
      createdBy: 'bench',
      expiresAt: new Date(now.getTime() + 86_400_000),
      now,
    });
    const catalog = loadCatalog();
    const portfolio = await api.apiPortfolio(store);
    expect(portfolio).toHaveLength(repositories);
    const query = await timed(10, () => api.apiPortfolio(store));
    const pageModel = await timed(3, () => pages.portfolioModel(store, { catalog, now: new Date() }));
    const context = { user: { name: 'Bench', roles: ['auditor'] }, csrfToken: 'x', can: new Set<string>() };
    const page = await timed(5, async () => {
      const records = await pages.loadRecordSet(store);
      const model = await pages.portfolioModel(store, { catalog, now: new Date(), records });
      return pages.portfolioPage(context, model);
    });
    console.log(`API portfolio query in-process: median ${query.median} ms, max ${query.max} ms`);
    console.log(`pages' portfolio read model: median ${pageModel.median} ms, max ${pageModel.max} ms`);
    console.log(`portfolio page (records + read model + HTML): median ${page.median} ms, max ${page.max} ms`);

    const modes: Array<'api' | 'api-gzip' | 'page-model'> = ['api', 'api-gzip'];
    if (process.env['SERVER_BENCH_BEFORE'] === '1') modes.unshift('page-model');
    for (const mode of modes) {
      const server = await startApi(url, mode === 'page-model' ? mode : 'api');
      const duration = mode === 'page-model' ? Math.min(seconds, 10) : seconds;
      try {
        // A warm-up at the same rate first (JIT, the first portfolio answer, pool connections):
        // what a running server has done long before; reported, not counted.
        if (warmup > 0) {
          const warm = await load(server.url, token, warmup, mode === 'api-gzip');
          console.log(`${mode}: warm-up ${warmup} s: p99 ${warm.p99} ms, max ${warm.max} ms`);
        }
        const before = loadavg();
        const result = await load(server.url, token, duration, mode === 'api-gzip');
        const after = loadavg();
        console.log(
          `${mode}: ${rate} req/s for ${duration} s: ${JSON.stringify(result)}; load average ${before[0]?.toFixed(2)} before, ${after[0]?.toFixed(2)} after`,
        );
        if (mode !== 'page-model') expect(result.non2xx).toBe(0);
      } finally {
        server.child.kill('SIGTERM');
      }
    }
  } finally {
    await store.close();
    await schema?.drop();
  }
});
