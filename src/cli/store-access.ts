import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Assessment } from '../kernel/index.js';
import { appendToLedger, assessmentCompletedEvent, assessmentDigest } from '../ledger/index.js';
import {
  createStoreAccess,
  resolveRepositoryRoot,
  resolveStoreLocation,
  type Store,
  type StoreAccess,
  type StoreLocation,
} from '../store/index.js';

/**
 * The one rule for where a command's store is: --db, else $SHIPGUARD_DB, else
 * .shipguard/shipguard.db at the root of the repository being worked on, else in the current
 * folder. Only the CLI reads the environment; everything below receives the result.
 */
export function commandStoreLocation(
  repositoryRoot: string | undefined,
  db: string | undefined,
): StoreLocation {
  return resolveStoreLocation({
    ...(db === undefined ? {} : { db }),
    env: process.env,
    ...(repositoryRoot === undefined ? {} : { repositoryRoot }),
    cwd: process.cwd(),
  });
}

/**
 * The command's store, resolved once and opened at most once, to hand down to every module that
 * reads or writes it. An invalid --db or SHIPGUARD_DB is thrown at once (exit 2). The default
 * folder ignores itself in git, so assessing a repository never leaves an untracked file behind.
 */
export function commandStoreAccess(
  repositoryRoot: string | undefined,
  db: string | undefined,
  options: { cachesMayCreate?: boolean } = {},
): StoreAccess {
  const location = commandStoreLocation(repositoryRoot, db);
  const isDefault = db === undefined && !process.env['SHIPGUARD_DB'];
  return createStoreAccess(location, {
    ...options,
    async beforeCreate() {
      if (!isDefault || location.kind !== 'sqlite' || location.path === ':memory:') return;
      const folder = dirname(location.path);
      await mkdir(folder, { recursive: true });
      await writeFile(
        `${folder}/.gitignore`,
        '# Written by shipguard: the local store never belongs in git.\n*\n',
        {
          flag: 'w',
        },
      );
    },
  });
}

/**
 * Runs `work` with the store of the repository the current folder is in (or the current folder),
 * by the one rule, and closes it after: the shape of every command that only reads or writes it.
 */
export async function withCommandStore<T>(
  db: string | undefined,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const access = commandStoreAccess(await resolveRepositoryRoot('.'), db);
  try {
    return await work(await access.open());
  } finally {
    await access.close();
  }
}

/** Opens (creating if needed) the command's store; the caller closes it. */
export async function openCommandStore(repositoryRoot: string, db: string | undefined): Promise<Store> {
  return commandStoreAccess(repositoryRoot, db).open();
}

/**
 * Stores the assessment and appends its digest to the ledger, so history cannot be rewritten
 * unseen. `repository` is the repository's key (src/fleet identity); `aliases` are other names of
 * it, such as the local path history was keyed by before.
 */
export async function saveAssessmentRecord(
  assessment: Assessment,
  repository: string,
  access: StoreAccess,
  aliases: readonly string[] = [],
): Promise<{ ledgerIndex: number; digest: string }> {
  const store = await access.open();
  await store.saveAssessment(assessment, { repository, aliases });
  const digest = assessmentDigest(assessment);
  const appended = await appendToLedger(store, assessmentCompletedEvent(assessment, repository, digest));
  return { ledgerIndex: appended.firstIndex, digest };
}
