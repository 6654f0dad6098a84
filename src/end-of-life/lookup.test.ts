// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are files that contain `${VAR}` literally.
import { describe, expect, it } from 'vitest';
import { endOfLifeDataset, parseEndOfLifeDataset } from './dataset.js';
import { datasetAge, findCycle, supportStatus } from './lookup.js';
import type { ProductId, ReleaseCycle } from './schema.js';

describe('findCycle', () => {
  const cases: [ProductId, string, string | undefined][] = [
    ['nodejs', '20', '20'],
    ['nodejs', 'v20.11.1', '20'],
    ['nodejs', '^18', '18'],
    ['nodejs', '>=16', '16'],
    ['nodejs', '>= 16.0.0 <21', '16'],
    ['nodejs', '^18.17.0 || >=20', '18'],
    ['nodejs', '20.x', '20'],
    ['nodejs', '20-alpine', '20'],
    ['nodejs', 'lts/iron', '20'],
    ['nodejs', 'lts/jod', '22'],
    ['nodejs', 'lts/carbon', '8'],
    ['nodejs', 'lts/*', undefined],
    ['nodejs', 'latest', undefined],
    ['nodejs', '<20', undefined],
    ['nodejs', '${NODE_VERSION}', undefined],
    ['nodejs', '99', undefined],
    ['python', '3.11.4', '3.11'],
    ['python', '>=3.9,<4', '3.9'],
    ['python', '3.2-slim', undefined],
    ['python', '3.12-slim-bookworm', '3.12'],
    ['python', 'python-3.10.2', '3.10'],
    ['python', '3', undefined],
    ['python', '3.x', undefined],
    ['python', '2.7.18', '2.7'],
    ['go', '1.21.5', '1.21'],
    ['go', 'go1.22.3', '1.22'],
    ['go', '1.26', '1.26'],
    ['java', '17-jdk', '17'],
    ['java', '17.0.9_9-jre-jammy', '17'],
    ['java', '1.8', '8'],
    ['java', 'temurin-21.0.1+12', '21'],
    ['dotnet', 'net8.0', '8.0'],
    ['dotnet', 'net6.0-windows', '6.0'],
    ['dotnet', '8.0.100', '8.0'],
    ['dotnet', '9', '9.0'],
    ['dotnet', 'netcoreapp3.1', '3.1'],
    ['ruby', '3.2-slim', '3.2'],
    ['ruby', 'ruby-3.3.0', '3.3'],
    ['php', '8.1-fpm', '8.1'],
    ['php', '^8.2 || ^8.3', '8.2'],
    ['debian', 'bullseye', '11'],
    ['debian', 'bookworm-slim', '12'],
    ['debian', '11.9', '11'],
    ['ubuntu', '20.04', '20.04'],
    ['ubuntu', 'jammy-20240101', '22.04'],
    ['ubuntu', '22.4', '22.04'],
    ['alpine', '3.18.4', '3.18'],
    ['alpine', '3', undefined],
  ];
  it.each(cases)('%s %s → %s', (product, version, expected) => {
    expect(findCycle(product, version)?.cycle).toBe(expected);
  });

  it('refuses absurdly long input', () => {
    expect(findCycle('nodejs', `20${'0'.repeat(200)}`)).toBeUndefined();
  });
});

describe('supportStatus', () => {
  const cycle: ReleaseCycle = { cycle: '20', releaseDate: '2023-04-18', eol: '2026-04-30' };
  const cases: [string, ReleaseCycle | undefined, number, string][] = [
    ['2026-01-01', cycle, 30, 'supported'],
    ['2026-04-10', cycle, 30, 'ending-soon'],
    ['2026-04-30', cycle, 30, 'end-of-life'],
    ['2026-11-22', cycle, 30, 'end-of-life'],
    ['2026-11-22', { ...cycle, eol: null }, 30, 'supported'],
    ['2026-11-22', undefined, 30, 'unknown'],
  ];
  it.each(cases)('at %s → %s', (now, subject, warningDays, expected) => {
    expect(supportStatus(subject, new Date(`${now}T12:00:00Z`), warningDays)).toBe(expected);
  });

  it('reads the bundled dates: Node.js 20 ended, 22 is supported, .NET 8 ends soon', () => {
    const now = new Date('2026-11-01T00:00:00Z');
    expect(supportStatus(findCycle('nodejs', '20'), now, 90)).toBe('end-of-life');
    expect(supportStatus(findCycle('nodejs', '22'), now, 90)).toBe('supported');
    expect(supportStatus(findCycle('dotnet', 'net8.0'), now, 90)).toBe('ending-soon');
    expect(supportStatus(findCycle('go', '1.26'), now, 90)).toBe('supported');
  });
});

describe('the bundled dataset', () => {
  it('is as of 2026-11-22 and says where it comes from', () => {
    expect(endOfLifeDataset.asOf).toBe('2026-11-22');
    expect(endOfLifeDataset.source).toMatch(/shipguard/);
    expect(datasetAge(new Date('2026-12-02T08:00:00Z'))).toBe(10);
    expect(datasetAge(new Date('2026-12-02T08:00:00Z'), { asOf: '2026-01-01' })).toBe(335);
  });

  it('has cycles with unique names, release dates before end dates', () => {
    for (const [product, entry] of Object.entries(endOfLifeDataset.products)) {
      const names = entry.cycles.map((cycle) => cycle.cycle);
      expect(new Set(names).size, product).toBe(names.length);
      for (const cycle of entry.cycles) {
        if (cycle.eol !== null) expect(cycle.releaseDate < cycle.eol, `${product} ${cycle.cycle}`).toBe(true);
      }
    }
  });

  it('rejects an invalid dataset with a coded error', () => {
    expect(() => parseEndOfLifeDataset({ asOf: 'yesterday', source: 'x', products: {} })).toThrowError(
      expect.objectContaining({ code: 'END_OF_LIFE_DATASET_INVALID' }),
    );
  });
});
