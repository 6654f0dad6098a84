import { type Advisory, parseOsvRecord, replaceSource } from '../advisories/index.js';
import type { Store } from '../store/index.js';

/** An OSV advisory on every version of an npm package before `fixed`, parsed as an import reads it. */
export function npmAdvisory(record: {
  id: string;
  name: string;
  fixed: string;
  severity: string;
  /** Advisory data is as old as its newest record: fresh data has a recent modified date. */
  modified: string;
  summary?: string;
}): Advisory {
  const { id, name, fixed, severity, modified, summary } = record;
  return parseOsvRecord(
    `${id}.json`,
    JSON.stringify({
      id,
      modified,
      published: '2026-01-01T00:00:00Z',
      ...(summary === undefined ? {} : { summary }),
      affected: [
        {
          package: { ecosystem: 'npm', name },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
        },
      ],
      database_specific: { severity },
    }),
  );
}

/** The advisory the gate tests release against: left-pad before 1.3.1, high. */
export const leftPadAdvisory = {
  id: 'GHSA-left-pad-0001',
  name: 'left-pad',
  fixed: '1.3.1',
  severity: 'HIGH',
};

/** Stores the advisories as the source `import:test`, imported and checked on 2026-06-08. */
export function storeTestAdvisories(store: Store, advisories: readonly Advisory[]): Promise<void> {
  return replaceSource(
    store,
    {
      source: 'import:test',
      origin: 'test',
      importedAt: '2026-06-08T00:00:00Z',
      checkedAt: '2026-06-08T00:00:00Z',
      errors: 0,
    },
    advisories,
  );
}
