// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are files that contain `${VAR}` literally.
import { describe, expect, it } from 'vitest';
import { endOfLifeDataset, parseEndOfLifeDataset, validatedShippedDataset } from './dataset.js';
import { productOfCpe, productOfImage, productOfPurl } from './identify.js';
import { datasetAge, findCycle, milestoneStatus, supportStatus } from './lookup.js';
import { type ProductId, productIds, type ReleaseCycle } from './schema.js';

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
    ['python', '3.2-slim', '3.2'],
    ['python', '3.15-slim', undefined],
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
    // Products whose naming changed: PostgreSQL 9.6, then 10.
    ['postgresql', '9.6.24-alpine', '9.6'],
    ['postgresql', '16-bookworm', '16'],
    ['postgresql', '16.4', '16'],
    ['redis', '7.2-alpine', '7.2'],
    ['mongodb', '4.4.29', '4.4'],
    ['no-such-product', '1.0', undefined],
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
  it('is as of the source commit and carries its source and licence', () => {
    expect(endOfLifeDataset.asOf).toBe('2026-08-22');
    expect(endOfLifeDataset.origin).toEqual({
      repository: 'github.com/endoflife-date/endoflife.date',
      commit: 'a70eca337600e7d721dc48112c271f98661d208b',
      date: '2026-08-22',
    });
    expect(endOfLifeDataset.source).toMatch(/endoflife\.date/);
    expect(endOfLifeDataset.licence).toMatch(/MIT licence[\s\S]*Copyright 2020 endoflife\.date contributors/);
    expect(datasetAge(new Date('2026-12-02T08:00:00Z'))).toBe(102);
    expect(datasetAge(new Date('2026-12-02T08:00:00Z'), { asOf: '2026-01-01' })).toBe(335);
  });

  it('has cycles with unique names, and release dates before end dates for the products shipguard names', () => {
    for (const [product, entry] of Object.entries(endOfLifeDataset.products)) {
      const names = entry.cycles.map((cycle) => cycle.cycle);
      expect(new Set(names).size, product).toBe(names.length);
    }
    for (const product of productIds) {
      for (const cycle of endOfLifeDataset.products[product]?.cycles ?? []) {
        if (typeof cycle.eol === 'string' && cycle.releaseDate !== null)
          expect(cycle.releaseDate < cycle.eol, `${product} ${cycle.cycle}`).toBe(true);
      }
    }
  });

  it('keeps the end of life, of active support and of extended support apart', () => {
    const bookworm = findCycle('debian', 'bookworm');
    expect(bookworm).toMatchObject({ cycle: '12', eol: '2026-07-11', eoes: '2028-06-30' });
    const now = new Date('2026-11-22T00:00:00Z');
    expect(supportStatus(bookworm, now, 30)).toBe('end-of-life');
    expect(milestoneStatus(bookworm?.eoes, now, 30)).toBe('supported');
    expect(findCycle('nodejs', '24')).toMatchObject({ eoas: '2026-10-20', eol: '2028-04-30' });
    expect(milestoneStatus(findCycle('nodejs', '24')?.eoas, now, 30)).toBe('end-of-life');
  });

  it('reads an end of life without a day as ended', () => {
    expect(milestoneStatus(true, new Date('2020-01-01T00:00:00Z'), 30)).toBe('end-of-life');
    expect(
      supportStatus({ cycle: '1', releaseDate: null, eol: true }, new Date('2020-01-01T00:00:00Z'), 30),
    ).toBe('end-of-life');
  });

  it('rejects an invalid dataset with a coded error', () => {
    expect(() => parseEndOfLifeDataset({ asOf: 'yesterday', source: 'x', products: {} })).toThrowError(
      expect.objectContaining({ code: 'END_OF_LIFE_DATASET_INVALID' }),
    );
    const { nodejs: _dropped, ...withoutNode } = endOfLifeDataset.products;
    expect(() => parseEndOfLifeDataset({ ...endOfLifeDataset, products: withoutNode })).toThrowError(
      expect.objectContaining({ code: 'END_OF_LIFE_DATASET_INVALID' }),
    );
  });
});

describe('identifying products', () => {
  it.each([
    ['pkg:pypi/django@4.2.11', 'django'],
    ['pkg:pypi/Django@4.2.11', 'django'],
    ['pkg:npm/%40angular/core@17.3.0', 'angular'],
    ['pkg:npm/@angular/core@17.3.0', 'angular'],
    ['pkg:maven/org.springframework.boot/spring-boot@2.7.18?type=jar', 'spring-boot'],
    ['pkg:gem/rails@7.0.8', 'rails'],
    ['pkg:docker/library/postgres@13', 'postgresql'],
    ['pkg:deb/debian/redis@7.0.15-1', 'redis'],
    ['pkg:npm/left-pad@1.3.0', undefined],
    ['not a purl', undefined],
  ])('purl %s → %s', (purl, product) => {
    expect(productOfPurl(purl)).toBe(product);
  });

  it.each([
    ['postgres', 'postgresql'],
    ['docker.io/library/mysql', 'mysql'],
    ['bitnami/redis', 'redis'],
    ['mirror.example/library/mariadb', 'mariadb'],
    ['alpine', 'alpine'],
    ['someone/postgres', undefined],
  ])('image %s → %s', (image, product) => {
    expect(productOfImage(image)).toBe(product);
  });

  it('reads CPEs by part, vendor and product in both bindings', () => {
    expect(productOfCpe('cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*')).toBe('debian');
    expect(productOfCpe('cpe:/a:djangoproject:django:4.2')).toBe('django');
    expect(productOfCpe('cpe:2.3:a:nobody:nothing')).toBeUndefined();
  });

  it('ships a dataset that is valid and that parsing leaves unchanged (so it is not parsed at start)', () => {
    expect(validatedShippedDataset()).toEqual(endOfLifeDataset);
  });
});
