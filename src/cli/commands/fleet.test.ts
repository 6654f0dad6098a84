import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BareRemote, createBareRemote } from '../../fleet/__fixtures__/remote.js';
import { readEntries } from '../../ledger/index.js';
import { openStore } from '../../store/index.js';
import { runCli } from '../../testing/run-cli.js';

describe('shipguard fleet (embedded, SQLite)', () => {
  let folder: string;
  let db: string;
  let cache: string;
  let remotes: BareRemote[];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'shipguard-fleet-cli-'));
    db = join(folder, 'fleet.db');
    cache = join(folder, 'cache');
    remotes = ['api', 'web'].map((name) =>
      createBareRemote(name, { 'package.json': `{"name":"${name}","version":"1.0.0"}\n` }),
    );
  });
  afterEach(() => {
    for (const remote of remotes) remote.remove();
    rmSync(folder, { recursive: true, force: true });
  });

  it('adds, imports, lists, assesses in-process and removes repositories', async () => {
    const [api, web] = remotes as [BareRemote, BareRemote];
    const added = await runCli('fleet', 'add', api.path, '--db', db);
    expect(added.code).toBe(0);
    expect(added.stderr).toContain(`added file://${api.path.replace(/\.git$/, '')}`);
    const list = join(folder, 'list.txt');
    writeFileSync(
      list,
      `# the org\n${web.path}\n${api.path}   # again\ngit@example.org:team/mono.git packages/api\nnot a url at all\n`,
    );
    const imported = await runCli('fleet', 'import', list, '--db', db, '--stagger-seconds', '0');
    expect(imported.code).toBe(2); // one bad line, reported with its number; the rest are added
    expect(imported.stderr).toMatch(/list\.txt:5: /);
    expect(imported.stderr).toContain('already in the fleet');
    expect(imported.stderr).toContain('added example.org/team/mono//packages/api');

    const listed = await runCli('fleet', 'list', '--db', db, '--format', 'json');
    const keys = (JSON.parse(listed.stdout) as { repositories: { key: string }[] }).repositories.map(
      (row) => row.key,
    );
    expect(keys).toHaveLength(3);
    expect(await runCli('fleet', 'remove', 'example.org/team/mono//packages/api', '--db', db)).toMatchObject({
      code: 0,
    });

    const assessed = await runCli('fleet', 'assess', '--all', '--db', db, '--cache', cache, '-j', '2');
    expect(assessed.code).toBe(0);
    const result = JSON.parse(assessed.stdout) as {
      finished: { repository: string; status: string }[];
      failed: unknown[];
    };
    expect(result.failed).toEqual([]);
    expect(result.finished.map((outcome) => outcome.status)).toEqual(['recorded', 'recorded']);

    const store = await openStore({ kind: 'sqlite', path: db });
    try {
      for (const remote of [api, web]) {
        const key = `file://${remote.path.replace(/\.git$/, '')}`;
        expect(await store.listAssessments({ repository: key })).toHaveLength(1);
      }
      expect(
        (await readEntries(store, 0, 100)).filter((entry) => entry.entry.includes('"assessment.completed"')),
      ).toHaveLength(2);
    } finally {
      await store.close();
    }
    // Nothing is due any more: a second embedded run does nothing.
    const again = await runCli('fleet', 'assess', '--db', db, '--cache', cache);
    expect(JSON.parse(again.stdout)).toMatchObject({ finished: [], failed: [] });
    expect((await runCli('fleet', 'remove', 'no/such/repository', '--db', db)).code).toBe(2);
  });

  it('says that queueing needs PostgreSQL and points to the embedded mode', async () => {
    const run = await runCli('fleet', 'tick', '--db', db);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fleet assess');
    expect((await runCli('worker', '--db', db)).code).toBe(2);
  });
});
