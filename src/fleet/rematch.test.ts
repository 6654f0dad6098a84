import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { importAdvisories } from '../advisories/index.js';
import { defaultPolicy } from '../policy/index.js';
import { migrations, openStore, type Store } from '../store/index.js';
import { describeOnEveryStore } from '../testing/store-backends.js';
import {
  affectedRepositories,
  markNotified,
  pendingNotifications,
  recordComponents,
  rematch,
} from './rematch.js';
import { checkWebhookUrl, deliverWebhook } from './webhook.js';

const slaDays = defaultPolicy().supplyChain.slaDays;
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function osv(
  id: string,
  ecosystem: string,
  name: string,
  fixed: string,
  severity: string,
  published: string,
) {
  return {
    schema_version: '1.6.0',
    id,
    modified: published,
    published,
    affected: [
      {
        package: { ecosystem, name },
        ranges: [
          { type: ecosystem === 'PyPI' ? 'ECOSYSTEM' : 'SEMVER', events: [{ introduced: '0' }, { fixed }] },
        ],
      },
    ],
    database_specific: { severity },
  };
}

async function importRecords(store: Store, records: unknown[], source = 'test'): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-osv-'));
  folders.push(folder);
  for (const [index, record] of records.entries())
    writeFileSync(join(folder, `${index}.json`), JSON.stringify(record));
  await importAdvisories(store, folder, { source });
}

const component = (ecosystem: string, name: string, version: string, purlType: string) => ({
  ecosystem,
  name,
  version,
  purl: `pkg:${purlType}/${name.toLowerCase()}@${version}`,
});

await describeOnEveryStore('re-matching', (name, backend) => {
  describe(name, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('finds the repositories an advisory affects from stored components, and keeps what it knew', async () => {
      const location = await backend.createLocation();
      store = await openStore(location);
      const now = new Date('2026-12-01T00:00:00Z');
      await recordComponents(store, 'github.com/acme/a', [component('npm', 'lodash', '4.17.20', 'npm')], now);
      await recordComponents(store, 'github.com/acme/b', [component('npm', 'lodash', '4.17.21', 'npm')], now);
      // PyPI names are matched normalised: Requests_Toolbelt is requests-toolbelt.
      await recordComponents(
        store,
        'github.com/acme/c',
        [component('PyPI', 'Requests_Toolbelt', '0.9.0', 'pypi')],
        now,
      );

      await importRecords(store, [
        osv('GHSA-lodash', 'npm', 'lodash', '4.17.21', 'CRITICAL', '2026-11-01T00:00:00Z'),
        osv('PYSEC-toolbelt', 'PyPI', 'requests-toolbelt', '1.0.0', 'MODERATE', '2026-01-01T00:00:00Z'),
        osv('GHSA-other', 'npm', 'left-pad', '9.9.9', 'HIGH', '2026-01-01T00:00:00Z'),
      ]);
      const first = await rematch(store, { now, slaDays });
      // Matched per package version; repositories are joined in.
      expect(first.added.map((match) => [match.name, match.version, match.advisoryId]).sort()).toEqual([
        ['lodash', '4.17.20', 'GHSA-lodash'],
        ['requests-toolbelt', '0.9.0', 'PYSEC-toolbelt'],
      ]);
      expect(
        (await affectedRepositories(store)).map((match) => [match.repository, match.advisoryId]),
      ).toEqual([
        ['github.com/acme/a', 'GHSA-lodash'],
        ['github.com/acme/c', 'PYSEC-toolbelt'],
      ]);
      expect(first.added.find((match) => match.advisoryId === 'GHSA-lodash')?.due).toBe('2026-11-08');

      // Nothing new the second time; one targeted advisory finds only its repositories.
      expect((await rematch(store, { now, slaDays })).added).toEqual([]);
      await importRecords(
        store,
        [osv('GHSA-lodash-2', 'npm', 'lodash', '5.0.0', 'HIGH', '2026-11-30T00:00:00Z')],
        'second',
      );
      const targeted = await rematch(store, { now, slaDays, advisoryIds: ['GHSA-lodash-2'] });
      expect(targeted.added.map((match) => match.version).sort()).toEqual(['4.17.20', '4.17.21']);
      expect(targeted.versionsChecked).toBe(2);
      expect((await affectedRepositories(store, ['GHSA-lodash-2'])).map((match) => match.repository)).toEqual(
        ['github.com/acme/a', 'github.com/acme/b'],
      );

      // An upgrade resolves the match at the next full re-match.
      await recordComponents(store, 'github.com/acme/a', [component('npm', 'lodash', '5.0.1', 'npm')], now);
      const after = await rematch(store, { now, slaDays });
      expect(after.resolved).toBe(2);
      expect(after.total).toBe(2);

      // Notifications: the new critical one was resolved; the PyPI one is overdue (published in January).
      const pending = await pendingNotifications(store, now);
      expect(pending.map((item) => [item.kind, item.match.advisoryId])).toEqual([
        ['overdue', 'PYSEC-toolbelt'],
      ]);
      await markNotified(store, pending, now);
      expect(await pendingNotifications(store, now)).toEqual([]);
      if (location.kind === 'sqlite') await backend.removeLocation?.(location);
    });

    it('skips unchanged packages in a full re-match, but not one with a new version or a changed advisory', async () => {
      const location = await backend.createLocation();
      store = await openStore(location);
      const now = new Date('2026-12-01T00:00:00Z');
      await recordComponents(store, 'github.com/acme/a', [component('npm', 'lodash', '4.17.20', 'npm')], now);
      await recordComponents(store, 'github.com/acme/b', [component('npm', 'minimist', '1.2.5', 'npm')], now);
      await importRecords(store, [
        osv('GHSA-lodash', 'npm', 'lodash', '4.17.21', 'HIGH', '2026-11-01T00:00:00Z'),
        osv('GHSA-minimist', 'npm', 'minimist', '1.2.6', 'CRITICAL', '2026-11-01T00:00:00Z'),
      ]);
      const first = await rematch(store, { now, slaDays });
      expect(first.added).toHaveLength(2);
      expect(first.versionsChecked).toBe(2);

      // Nothing changed (a repository recorded again with the same components): no version is
      // read again, and nothing is lost.
      await recordComponents(store, 'github.com/acme/a', [component('npm', 'lodash', '4.17.20', 'npm')], now);
      const idle = await rematch(store, { now, slaDays });
      expect([idle.versionsChecked, idle.added.length, idle.resolved, idle.total]).toEqual([0, 0, 0, 2]);

      // A version of lodash new to the fleet (in another repository), advisories unchanged: matched.
      // (minimist is new to that repository, so it is matched again too, finding nothing new.)
      await recordComponents(
        store,
        'github.com/acme/c',
        [component('npm', 'lodash', '4.17.19', 'npm'), component('npm', 'minimist', '1.2.5', 'npm')],
        now,
      );
      const newVersion = await rematch(store, { now, slaDays });
      expect(newVersion.added.map((match) => [match.name, match.version, match.advisoryId])).toEqual([
        ['lodash', '4.17.19', 'GHSA-lodash'],
      ]);
      expect(newVersion.versionsChecked).toBe(3);
      expect(
        (await affectedRepositories(store, ['GHSA-lodash'])).map((match) => [
          match.repository,
          match.version,
        ]),
      ).toEqual([
        ['github.com/acme/a', '4.17.20'],
        ['github.com/acme/c', '4.17.19'],
      ]);

      // The same advisory id changed (now fixed in 4.17.20), versions unchanged: 4.17.20 resolved.
      await importRecords(store, [
        osv('GHSA-lodash', 'npm', 'lodash', '4.17.20', 'HIGH', '2026-11-01T00:00:00Z'),
        osv('GHSA-minimist', 'npm', 'minimist', '1.2.6', 'CRITICAL', '2026-11-01T00:00:00Z'),
      ]);
      const changedAdvisory = await rematch(store, { now, slaDays });
      expect([changedAdvisory.added.length, changedAdvisory.resolved, changedAdvisory.total]).toEqual([
        0, 1, 2,
      ]);
      expect(changedAdvisory.versionsChecked).toBe(2);
      // A new advisory for minimist, and a repository dropping lodash 4.17.19 (resolved with no advisory change).
      await importRecords(
        store,
        [osv('GHSA-minimist-2', 'npm', 'minimist', '1.3.0', 'LOW', '2026-11-02T00:00:00Z')],
        'second',
      );
      await recordComponents(store, 'github.com/acme/c', [component('npm', 'minimist', '1.2.5', 'npm')], now);
      const mixed = await rematch(store, { now, slaDays });
      expect(mixed.added.map((match) => [match.name, match.version, match.advisoryId])).toEqual([
        ['minimist', '1.2.5', 'GHSA-minimist-2'],
      ]);
      expect([mixed.resolved, mixed.total]).toEqual([1, 2]);

      // What the skipping re-match kept is what matching every package from scratch finds.
      const kept = (await affectedRepositories(store)).map((match) => JSON.stringify(match));
      await store.db
        .withTables<{ rematch_packages: { name: string } }>()
        .deleteFrom('rematch_packages')
        .execute();
      const scratch = await rematch(store, { now, slaDays });
      expect([scratch.added.length, scratch.resolved, scratch.total]).toEqual([0, 0, 2]);
      expect((await affectedRepositories(store)).map((match) => JSON.stringify(match))).toEqual(kept);
      if (location.kind === 'sqlite') await backend.removeLocation?.(location);
    });

    it('removes the matches of a dropped version and of a package no repository has, matching only what changed', async () => {
      const location = await backend.createLocation();
      store = await openStore(location);
      const now = new Date('2026-12-01T00:00:00Z');
      await recordComponents(
        store,
        'github.com/acme/a',
        [component('npm', 'lodash', '4.17.20', 'npm'), component('npm', 'minimist', '1.2.5', 'npm')],
        now,
      );
      await recordComponents(store, 'github.com/acme/b', [component('npm', 'lodash', '4.17.19', 'npm')], now);
      await importRecords(store, [
        osv('GHSA-lodash', 'npm', 'lodash', '4.17.21', 'HIGH', '2026-11-01T00:00:00Z'),
        osv('GHSA-minimist', 'npm', 'minimist', '1.2.6', 'CRITICAL', '2026-11-01T00:00:00Z'),
      ]);
      expect((await rematch(store, { now, slaDays })).total).toBe(3);

      // minimist leaves the fleet: its match goes, and no version is read for it.
      await recordComponents(store, 'github.com/acme/a', [component('npm', 'lodash', '4.17.20', 'npm')], now);
      const gone = await rematch(store, { now, slaDays });
      expect([gone.versionsChecked, gone.resolved, gone.total]).toEqual([0, 1, 2]);

      // b drops lodash 4.17.19 (a keeps 4.17.20): lodash is matched again, and 4.17.19's match goes.
      await recordComponents(store, 'github.com/acme/b', [], now);
      const dropped = await rematch(store, { now, slaDays });
      expect([dropped.versionsChecked, dropped.added.length, dropped.resolved, dropped.total]).toEqual([
        1, 0, 1, 1,
      ]);
      expect(
        (await affectedRepositories(store)).map((match) => [match.repository, match.name, match.version]),
      ).toEqual([['github.com/acme/a', 'lodash', '4.17.20']]);

      // minimist comes back: matched again.
      await recordComponents(store, 'github.com/acme/b', [component('npm', 'minimist', '1.2.5', 'npm')], now);
      const back = await rematch(store, { now, slaDays });
      expect(back.added.map((match) => [match.name, match.version])).toEqual([['minimist', '1.2.5']]);
      expect((await rematch(store, { now, slaDays })).versionsChecked).toBe(0);
      if (location.kind === 'sqlite') await backend.removeLocation?.(location);
    });

    it('matches packages across several chunks, read and written while others are matched', async () => {
      const location = await backend.createLocation();
      store = await openStore(location);
      const now = new Date('2026-12-01T00:00:00Z');
      // 1,300 packages (three chunks of up to 500 names) in two repositories, two versions each.
      const names = Array.from({ length: 1_300 }, (_, index) => `chunked-${index}`);
      await recordComponents(
        store,
        'github.com/acme/a',
        names.map((name) => component('npm', name, '1.0.0', 'npm')),
        now,
      );
      await recordComponents(
        store,
        'github.com/acme/b',
        names.map((name) => component('npm', name, '2.0.0', 'npm')),
        now,
      );
      // Every third package has an advisory fixed in 1.5.0 (1.0.0 affected, 2.0.0 not).
      const advised = names.filter((_, index) => index % 3 === 0);
      await importRecords(
        store,
        advised.map((name) => osv(`GHSA-${name}`, 'npm', name, '1.5.0', 'HIGH', '2026-11-01T00:00:00Z')),
      );
      const first = await rematch(store, { now, slaDays });
      expect(first.versionsChecked).toBe(advised.length * 2);
      expect(first.added.map((match) => `${match.name}@${match.version}`).sort()).toEqual(
        advised.map((name) => `${name}@1.0.0`).sort(),
      );
      expect(first.total).toBe(advised.length);

      // a upgrades every package: each chunk removes its packages' matches.
      await recordComponents(
        store,
        'github.com/acme/a',
        names.map((name) => component('npm', name, '2.0.0', 'npm')),
        now,
      );
      const upgraded = await rematch(store, { now, slaDays });
      expect([upgraded.added.length, upgraded.resolved, upgraded.total]).toEqual([0, advised.length, 0]);
      expect(await affectedRepositories(store)).toEqual([]);
      expect((await rematch(store, { now, slaDays })).versionsChecked).toBe(0);
      if (location.kind === 'sqlite') await backend.removeLocation?.(location);
    });

    it('compares advisories by the digest stored with each record, backfilled for records stored before', async () => {
      const location = await backend.createLocation();
      store = await openStore(location);
      const now = new Date('2026-12-01T00:00:00Z');
      await recordComponents(store, 'github.com/acme/a', [component('npm', 'lodash', '4.17.20', 'npm')], now);
      await importRecords(store, [
        osv('GHSA-lodash', 'npm', 'lodash', '4.17.21', 'HIGH', '2026-11-01T00:00:00Z'),
      ]);
      const digests = async () =>
        (
          await sql<{
            document: string;
            digest: string | null;
          }>`select document, digest from advisories`.execute(store?.db as NonNullable<typeof store>['db'])
        ).rows;
      const written = await digests();
      expect(written.map((row) => row.digest)).toEqual(
        written.map((row) => createHash('sha256').update(row.document).digest('base64url')),
      );
      expect((await rematch(store, { now, slaDays })).versionsChecked).toBe(1);
      expect((await rematch(store, { now, slaDays })).versionsChecked).toBe(0);

      // A record without a digest cannot be compared: its package is matched every time.
      await sql`update advisories set digest = null`.execute(store.db);
      expect((await rematch(store, { now, slaDays })).versionsChecked).toBe(1);
      expect((await rematch(store, { now, slaDays })).versionsChecked).toBe(1);

      // A store from before migration 024: opening it fills in the digests, the same as written,
      // page by page (1,201 records in two sources: more than two pages of 500).
      await importRecords(
        store,
        Array.from({ length: 600 }, (_, index) =>
          osv(`GHSA-more-${index}`, 'npm', `more-${index}`, '1.0.0', 'LOW', '2026-11-01T00:00:00Z'),
        ),
        'more-a',
      );
      await importRecords(
        store,
        Array.from({ length: 600 }, (_, index) =>
          osv(`GHSA-more-${index}`, 'npm', `more-${index}`, '2.0.0', 'LOW', '2026-11-01T00:00:00Z'),
        ),
        'more-b',
      );
      expect(await digests()).toHaveLength(1_201);
      for (const name of Object.keys(migrations)
        .filter((key) => key >= '024-')
        .sort()
        .reverse()) {
        await migrations[name]?.down?.(store.db as never);
        await sql`delete from shipguard_migration where name = ${name}`.execute(store.db);
      }
      await store.close();
      store = await openStore(location);
      expect(store.appliedMigrations).toContain('024-advisory-digests');
      const backfilled = await digests();
      expect(backfilled).toHaveLength(1_201);
      expect(backfilled.map((row) => row.digest)).toEqual(
        backfilled.map((row) => createHash('sha256').update(row.document).digest('base64url')),
      );
      if (location.kind === 'sqlite') await backend.removeLocation?.(location);
    });
  });
});

describe('webhooks', () => {
  it('signs each delivery, retries a failing receiver, and refuses what would leak', async () => {
    const secret = ['webhook', 'signing', 'secret', 'for', 'tests'].join('-');
    const received: Array<{ signature: string; timestamp: string; body: string }> = [];
    let failures = 1;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        if (failures-- > 0) {
          response.writeHead(503).end();
          return;
        }
        received.push({
          signature: String(request.headers['x-shipguard-signature']),
          timestamp: String(request.headers['x-shipguard-timestamp']),
          body,
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const delivery = await deliverWebhook(
        { event: 'advisory-matches', notifications: [{ advisoryId: 'GHSA-x' }] },
        { url: `http://127.0.0.1:${port}/hook`, secret, firstDelayMs: 10 },
      );
      expect(delivery).toEqual({ status: 204, attempts: 2 });
      const [got] = received;
      const expected = createHmac('sha256', secret).update(`${got?.timestamp}.${got?.body}`).digest('hex');
      expect(got?.signature).toBe(`sha256=${expected}`);
      expect(JSON.parse(got?.body ?? '{}')).toMatchObject({ event: 'advisory-matches' });

      failures = 10;
      await expect(
        deliverWebhook({}, { url: `http://127.0.0.1:${port}/hook`, secret, attempts: 2, firstDelayMs: 10 }),
      ).rejects.toMatchObject({ code: 'FLEET_WEBHOOK_FAILED' });
    } finally {
      server.close();
    }
    expect(() => checkWebhookUrl('http://hooks.example.com/x')).toThrow(/https/);
    expect(() => checkWebhookUrl('https://user:pw@hooks.example.com/x')).toThrow(/credentials/);
    await expect(
      deliverWebhook({}, { url: 'https://hooks.example.com/x', secret: 'short' }),
    ).rejects.toMatchObject({
      code: 'FLEET_WEBHOOK_INVALID',
    });
  });
});
