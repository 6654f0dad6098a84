/**
 * Continuous re-matching at scale: REMATCH_BENCH_SBOMS stored SBOMs (default 10,000 repositories,
 * REMATCH_BENCH_COMPONENTS each, default 200, drawn from 20,000 npm package names with a skew
 * towards popular ones) and REMATCH_BENCH_ADVISORIES advisories (default 50,000, over 15,000 of
 * those names, each affecting a window of minor versions), in PostgreSQL (REMATCH_BENCH_DB=sqlite
 * for a SQLite file). Reported: seeding time, one new advisory's affected repositories
 * (`rematch --advisory`), and a full re-match after a sync, each with the matches found.
 *
 * Run with: npx vitest run --config bench/fleet/vitest.config.ts bench/fleet/rematch.bench.test.ts --silent=false
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { type Advisory, replaceSource } from '../../src/advisories/index.js';
import { affectedRepositories, recordComponents, rematch } from '../../src/fleet/index.js';
import { defaultPolicy } from '../../src/policy/index.js';
import {
  createTestSchema,
  probePostgres,
  testPostgresUrl,
} from '../../src/store/__fixtures__/postgres-server.js';
import { openStore, type Store, type StoreLocation } from '../../src/store/index.js';

const sbomCount = Number(process.env['REMATCH_BENCH_SBOMS'] ?? 10_000);
const componentsPerSbom = Number(process.env['REMATCH_BENCH_COMPONENTS'] ?? 200);
const advisoryCount = Number(process.env['REMATCH_BENCH_ADVISORIES'] ?? 50_000);
const backend = process.env['REMATCH_BENCH_DB'] ?? 'postgres';
/** REMATCH_BENCH_KEEP=1: PostgreSQL only, a fixed schema kept after the run, seeded once and reused. */
const keep = process.env['REMATCH_BENCH_KEEP'] === '1';
const keptSchema = 'shipguard_rematch_bench';
const packageNames = 20_000;

/** A small deterministic generator, so every run measures the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const next = random(42);
/** Popular packages appear in many repositories: a power-law pick over the names. */
const pickName = () => `pkg-${Math.floor(packageNames * next() ** 3)}`;
const pickVersion = () => `1.${Math.floor(next() * 40)}.${Math.floor(next() * 5)}`;

function advisory(index: number, name: string, from: number, to: number, published: string): Advisory {
  return {
    id: `GHSA-bench-${index}`,
    modified: published,
    published,
    aliases: [],
    kind: 'vulnerability',
    severity: {
      level: (['critical', 'high', 'medium', 'low'] as const)[index % 4] ?? 'low',
      source: 'database',
    },
    affected: [
      {
        ecosystem: 'npm',
        name,
        ranges: [{ type: 'SEMVER', events: [{ introduced: `1.${from}.0` }, { fixed: `1.${to}.0` }] }],
        versions: [],
      },
    ],
    references: [],
  } as unknown as Advisory;
}

async function location(): Promise<{ location: StoreLocation; cleanup: () => Promise<void> }> {
  if (backend === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-rematch-'));
    return {
      location: { kind: 'sqlite', path: join(folder, 'store.db') },
      cleanup: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  const probe = await probePostgres();
  if (!probe.reachable) throw new Error(`PostgreSQL is not reachable: ${probe.reason}`);
  if (keep) {
    const url = new URL(testPostgresUrl);
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${keptSchema}`);
    } finally {
      await admin.end();
    }
    url.searchParams.set('options', `-c search_path=${keptSchema}`);
    return { location: { kind: 'postgres', url: url.toString() }, cleanup: async () => {} };
  }
  const schema = await createTestSchema();
  return { location: { kind: 'postgres', url: schema.url }, cleanup: () => schema.drop() };
}

it('re-matches advisories against stored SBOMs', async () => {
  const { location: where, cleanup } = await location();
  let store: Store | undefined;
  try {
    store = await openStore(where);
    const now = new Date('2026-12-01T00:00:00Z');
    // A kept schema already seeded: the generator still draws the same numbers, nothing is written,
    // and what earlier runs matched is cleared so the first full re-match starts from nothing.
    const seeded =
      keep &&
      Number(
        (await sql<{ count: string }>`select count(*) as count from repository_components`.execute(store.db))
          .rows[0]?.count ?? 0,
      ) ===
        sbomCount * componentsPerSbom;
    if (keep) {
      await sql`delete from package_advisory_matches`.execute(store.db);
      await sql`delete from rematch_packages`.execute(store.db);
      // Each run deletes and rewrites these tables; where autovacuum is off (a test server), their
      // dead rows would pile up run after run and slow every later run. The components, written
      // once, are left as they are.
      await sql`vacuum advisories, advisory_packages, package_advisory_matches, rematch_packages`.execute(
        store.db,
      );
    }
    let started = performance.now();
    for (let repository = 0; repository < sbomCount; repository++) {
      const components = new Map<
        string,
        { ecosystem: string; name: string; version: string; purl: string }
      >();
      while (components.size < componentsPerSbom) {
        const name = pickName();
        const version = pickVersion();
        components.set(name, { ecosystem: 'npm', name, version, purl: `pkg:npm/${name}@${version}` });
      }
      if (!seeded)
        await recordComponents(store, `bench.example/org/repo-${repository}`, [...components.values()], now);
    }
    const seedSboms = performance.now() - started;

    started = performance.now();
    const advisories: Advisory[] = [];
    for (let index = 0; index < advisoryCount; index++) {
      const from = Math.floor(next() * 38);
      advisories.push(
        advisory(
          index,
          `pkg-${Math.floor(next() * 15_000)}`,
          from,
          from + 1 + Math.floor(next() * 2),
          '2026-06-01T00:00:00Z',
        ),
      );
    }
    const source = {
      source: 'bench',
      origin: 'generated',
      importedAt: now.toISOString(),
      checkedAt: now.toISOString(),
      errors: 0,
    };
    await replaceSource(store, source, advisories);
    await replaceSource(store, { ...source, source: 'bench-new' }, []);
    const seedAdvisories = performance.now() - started;

    const slaDays = defaultPolicy().supplyChain.slaDays;
    started = performance.now();
    const full = await rematch(store, { now, slaDays });
    const fullMs = performance.now() - started;

    // One new advisory on a popular package, as after a sync that brought it.
    const fresh = advisory(advisoryCount, 'pkg-3', 0, 30, '2026-11-30T00:00:00Z');
    await replaceSource(store, { ...source, source: 'bench-new' }, [fresh]);
    started = performance.now();
    const one = await rematch(store, { now, slaDays, advisoryIds: [fresh.id] });
    const repositories = new Set(
      (await affectedRepositories(store, [fresh.id])).map((match) => match.repository),
    );
    const oneMs = performance.now() - started;

    started = performance.now();
    const again = await rematch(store, { now, slaDays });
    const againMs = performance.now() - started;

    const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(
      [
        `backend ${backend}: ${sbomCount} SBOMs x ${componentsPerSbom} components, ${advisoryCount} advisories`,
        `seeding: SBOMs${seeded ? ' (kept from an earlier run)' : ''} ${(seedSboms / 1000).toFixed(1)} s, advisories ${(seedAdvisories / 1000).toFixed(1)} s`,
        `full re-match: ${(fullMs / 1000).toFixed(2)} s, ${full.versionsChecked} package versions checked, ${full.total} version matches (${full.added.length} new)`,
        `one new advisory: ${oneMs.toFixed(0)} ms, ${one.added.length} package versions, ${repositories.size} repositories affected`,
        `full re-match again (nothing new): ${(againMs / 1000).toFixed(2)} s, ${again.added.length} new, ${again.resolved} resolved`,
        `peak RSS of the process now: ${rss} MB`,
      ].join('\n'),
    );
    expect(one.added.length).toBeGreaterThan(0);
    expect(again.added).toEqual([]);
  } finally {
    await store?.close();
    await cleanup();
  }
});
