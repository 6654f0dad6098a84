import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../store/index.js';
import { describeOnPostgres } from '../testing/store-backends.js';
import { add, createCompany, daysAgo, enrol } from './__fixtures__/company.js';
import { bundleDigest, exportBundle, importBundle } from './bundle.js';
import { describeEvidence } from './store.js';

await describeOnPostgres(
  'records export from SQLite into PostgreSQL',
  'records moved from SQLite to PostgreSQL',
  (schema) => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-portability-'));
    afterAll(() => {
      rmSync(folder, { recursive: true, force: true });
    });

    it('export the same bytes (by digest) from both stores, records and evidence included', async () => {
      const company = createCompany();
      const sqlite = await openStore({ kind: 'sqlite', path: join(folder, 'store.db') });
      const certificate = describeEvidence('cert.pdf', Buffer.from('%PDF certificate'), 'application/pdf');
      try {
        await enrol(sqlite, company);
        await add(
          sqlite,
          [
            await company.sign(
              'hr',
              'training',
              {
                effective: daysAgo(10),
                performedBy: 'zoe',
                data: {
                  person: 'zoe',
                  course: 'OSWE',
                  trainingKind: 'external',
                  completed: daysAgo(10),
                  certificate: 'cert.pdf',
                },
              },
              [
                {
                  name: 'cert.pdf',
                  sha256: certificate.sha256,
                  size: certificate.size,
                  mediaType: certificate.mediaType,
                },
              ],
            ),
            await company.sign('cto', 'management-review', {
              effective: daysAgo(30),
              performedBy: 'cto',
              data: {
                policy: 'secure-development',
                trigger: 'annual',
                outcome: 'policy-still-fit',
                nextDue: daysAgo(-335),
              },
            }),
          ],
          [certificate],
        );
        const fromSqlite = await exportBundle(sqlite);
        const target = await openStore({ kind: 'postgres', url: schema().url });
        try {
          expect(await importBundle(target, fromSqlite)).toEqual({ people: 15, records: 2 });
          const fromPostgres = await exportBundle(target);
          expect(bundleDigest(fromPostgres)).toBe(bundleDigest(fromSqlite));
          expect(fromPostgres).toContain(certificate.content.toString('base64'));
          // Importing again changes nothing: the ledger is not extended by a replay.
          expect(await importBundle(target, fromSqlite)).toEqual({ people: 0, records: 0 });
        } finally {
          await target.close();
        }
      } finally {
        await sqlite.close();
      }
    });
  },
);
