import { zipSync } from 'fflate';

/** Self-made OSV records for tests: small, and shaped like the real ones. */
export function osvRecord(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    schema_version: '1.6.0',
    id: 'GHSA-test-0000-0000',
    modified: '2026-01-02T00:00:00Z',
    published: '2026-01-01T00:00:00Z',
    aliases: [],
    summary: 'A test advisory',
    affected: [],
    ...overrides,
  };
}

export const lodashAdvisory = osvRecord({
  id: 'GHSA-lodash-0001',
  aliases: ['CVE-2021-23337'],
  published: '2021-02-15T00:00:00Z',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
    },
  ],
});

export const lodashCveAdvisory = osvRecord({
  id: 'CVE-2021-23337',
  aliases: ['GHSA-lodash-0001'],
  published: '2021-02-15T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
    },
  ],
});

export const requestsAdvisory = osvRecord({
  id: 'PYSEC-test-1',
  aliases: ['CVE-2023-32681'],
  published: '2023-05-26T00:00:00Z',
  database_specific: { severity: 'MODERATE' },
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'Requests' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }],
      versions: ['2.3.0', '2.30.0'],
    },
  ],
});

export function zipRecords(records: ReadonlyArray<Record<string, unknown>>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const record of records) files[`${String(record['id'])}.json`] = Buffer.from(JSON.stringify(record, null, 2));
  return zipSync(files);
}
