import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { endOfLifeDataset } from './dataset.js';
import {
  type CorpusProductFile,
  generateEndOfLifeDataset,
  noticeOf,
  parseCorpusSource,
  parseProductFile,
  serializeDataset,
} from './generate.js';
import { findCycle } from './lookup.js';

// The corpus sits in ../shared beside the checkout (or beside the folder of worktrees).
const corpus = ['../../../shared/corpora/endoflife/', '../../../../shared/corpora/endoflife/']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((path) => existsSync(`${path}SOURCE`));
if (!corpus) console.warn('end-of-life conformance skipped: ../shared/corpora/endoflife is absent');

/** The corpus' own product ids for shipguard's renamed ones. */
const corpusIds: Readonly<Record<string, string>> = {
  alpine: 'alpine-linux',
  rails: 'ruby-on-rails',
  java: 'eclipse-temurin',
};

describe.skipIf(!corpus)("endoflife.date's product files (../shared/corpora/endoflife)", () => {
  const folder = corpus ?? '';
  let files: CorpusProductFile[];
  /** Each product's releases as the corpus writes them, read with the YAML core schema. */
  const releases = new Map<string, Array<Record<string, unknown>>>();

  beforeAll(() => {
    files = [];
    for (const name of readdirSync(`${folder}products`).filter((entry) => entry.endsWith('.md'))) {
      const text = readFileSync(`${folder}products/${name}`, 'utf8');
      const id = name.slice(0, -3);
      files.push(parseProductFile(id, text));
      const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
      const parsed = parseYaml(front) as { releases?: Array<Record<string, unknown>> } | null;
      releases.set(id, parsed?.releases ?? []);
    }
  });

  it('regenerates exactly the shipped dataset.json and NOTICE', () => {
    const source = parseCorpusSource(
      readFileSync(`${folder}SOURCE`, 'utf8'),
      readFileSync(`${folder}LICENSE`, 'utf8'),
    );
    const { dataset } = generateEndOfLifeDataset(files, source);
    const shipped = fileURLToPath(new URL('./dataset.json', import.meta.url));
    expect(serializeDataset(dataset)).toBe(readFileSync(shipped, 'utf8'));
    expect(noticeOf(dataset)).toBe(readFileSync(fileURLToPath(new URL('./NOTICE', import.meta.url)), 'utf8'));
  });

  it('finds every cycle from its latest release as the corpus names it, with the corpus dates', () => {
    let looked = 0;
    const misses: string[] = [];
    for (const [product, entry] of Object.entries(endOfLifeDataset.products)) {
      const corpusId = corpusIds[product] ?? product;
      for (const release of releases.get(corpusId) ?? []) {
        const name = String(release['releaseCycle']);
        // shipguard names .NET 5 and later `8.0` where the corpus writes `8`.
        const shipguardName =
          product === 'dotnet' && /^\d+$/.test(name) && Number(name) >= 5 ? `${name}.0` : name;
        const cycle = entry.cycles.find((candidate) => candidate.cycle === shipguardName);
        if (!cycle) continue;
        // The dates travel unchanged: a date stays a date, `true` stays ended, `false` is no end set.
        for (const key of ['eol', 'eoas', 'eoes'] as const) {
          const raw = release[key];
          if (raw === undefined) continue;
          const expected = raw === false ? null : raw;
          expect(cycle[key], `${product} ${name} ${key}`).toEqual(expected);
        }
        const latest = typeof release['latest'] === 'string' ? release['latest'] : undefined;
        if (!latest?.startsWith(name)) continue;
        looked += 1;
        const found = findCycle(product, latest);
        if (found?.cycle !== cycle.cycle)
          misses.push(`${product} ${latest} → ${found?.cycle} (want ${cycle.cycle})`);
      }
    }
    expect(looked).toBeGreaterThan(3000);
    // Recorded in bench/README.md; a version that names a longer cycle (`1.4.8.0`) may miss.
    console.info(`end-of-life lookups from latest releases: ${looked - misses.length}/${looked} found`);
    expect(misses).toEqual([]);
  });

  it('reads the issue examples as the corpus does', () => {
    const at = (product: string, version: string) => findCycle(product, version);
    expect(at('spring-boot', '2.7.18')?.cycle).toBe('2.7');
    expect(at('ubuntu', 'jammy')?.cycle).toBe('22.04');
    expect(at('debian', 'bullseye')).toMatchObject({ eol: '2024-08-14', eoes: '2026-08-31' });
    expect(at('django', '3.2.25')?.eol).toBe('2024-04-01');
    expect(at('postgresql', '12')?.eol).toBe('2024-11-21');
    expect(at('redis', '6.2')?.cycle).toBe('6.2');
  });
});
