import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { versionOrderFor } from '../ecosystems/index.js';
import { type ParsedAdvisories, parseOsvPath } from './import.js';
import { inRange, isVersionAffected } from './match.js';

/**
 * The PyPI advisory database as published (pypa/advisory-database's `vulns/`, OSV YAML, the
 * records osv.dev serves for PyPI). Looked for in ../shared/corpora/pypa-advisories, or where
 * SHIPGUARD_PYPI_ADVISORIES points (a folder holding `vulns/`); skipped when absent.
 */
const candidates = [
  process.env['SHIPGUARD_PYPI_ADVISORIES'],
  ...['../../../shared/corpora/pypa-advisories', '../../../../shared/corpora/pypa-advisories'].map(
    (relative) => fileURLToPath(new URL(relative, import.meta.url)),
  ),
];
const corpus = candidates.find((path) => path !== undefined && existsSync(join(path, 'vulns')));
if (!corpus) console.warn('PyPI advisory conformance skipped: ../shared/corpora/pypa-advisories is absent');

function countRecords(folder: string): number {
  let count = 0;
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) count += countRecords(path);
    else if (entry.endsWith('.yaml')) count += 1;
  }
  return count;
}

describe.skipIf(!corpus)('the PyPI advisory database as published', () => {
  const order = versionOrderFor('PyPI');
  if (!order) throw new Error('PyPI has no version order');
  const compare = order;
  let parsed: ParsedAdvisories;

  beforeAll(async () => {
    parsed = await parseOsvPath(join(corpus ?? '', 'vulns'));
  });

  it('accepts every record', () => {
    expect(parsed.errors.map((error) => error.message)).toEqual([]);
    expect(parsed.advisories).toHaveLength(countRecords(join(corpus ?? '', 'vulns')));
  });

  it('matches as osv.dev does: every version a record lists is affected, every fixed version it does not list is not', () => {
    let listed = 0;
    let fixed = 0;
    const notAffected: string[] = [];
    const stillAffected: string[] = [];
    for (const advisory of parsed.advisories) {
      for (const affected of advisory.affected) {
        const listedVersions = new Set(affected.versions);
        for (const version of affected.versions) {
          listed += 1;
          if (!isVersionAffected(version, affected, compare)) notAffected.push(`${advisory.id} ${version}`);
        }
        for (const range of affected.ranges) {
          for (const event of range.events) {
            if (event.fixed === undefined || listedVersions.has(event.fixed)) continue;
            fixed += 1;
            if (isVersionAffected(event.fixed, affected, compare))
              stillAffected.push(`${advisory.id} ${event.fixed}`);
          }
        }
      }
    }
    console.info(`PyPI: ${listed} listed versions affected, ${fixed} fixed versions not affected`);
    expect(listed).toBeGreaterThan(100_000);
    expect(fixed).toBeGreaterThan(4_000);
    expect(notAffected).toEqual([]);
    expect(stillAffected).toEqual([]);
  });

  it('evaluates the ranges alone as the lists enumerate them, but for PEP 440 pre-releases and overlapping ranges', () => {
    let listed = 0;
    const disagreements: string[] = [];
    for (const advisory of parsed.advisories) {
      for (const affected of advisory.affected) {
        if (affected.ranges.length === 0) continue;
        for (const version of affected.versions) {
          listed += 1;
          if (!affected.ranges.some((range) => inRange(version, range, compare)))
            disagreements.push(`${advisory.id} ${affected.name} ${version}`);
        }
      }
    }
    console.info(`PyPI ranges alone: ${listed - disagreements.length}/${listed} listed versions in range`);
    // Where they differ, the ranges are right by the OSV algorithm: Django 3.2a1 comes before the
    // range's `introduced: "3.2"` in PEP 440 order; wagtail's overlapping ranges fix 2.11.6.
    expect(disagreements.length / listed).toBeLessThan(0.0001);
    const django = parsed.advisories.find((advisory) => advisory.id === 'PYSEC-2023-61')?.affected[0];
    if (django) {
      expect(django.versions).toContain('3.2a1');
      expect(django.ranges.some((range) => inRange('3.2a1', range, compare))).toBe(false);
      expect(isVersionAffected('3.2a1', django, compare)).toBe(true);
      expect(isVersionAffected('3.2.19', django, compare)).toBe(false);
    }
  });
});
