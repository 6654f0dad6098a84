import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Assessment } from '../kernel/index.js';
import { appendToLedger, canonicalBytes } from '../ledger/index.js';
import { openStore, resolveStoreLocation, type Store } from '../store/index.js';

/**
 * Opens the store the way every command does: --db, else $SHIPGUARD_DB, else
 * .shipguard/shipguard.db at the repository root. The default folder ignores itself in git, so
 * assessing a repository never leaves an untracked file behind.
 */
export async function openCommandStore(repositoryRoot: string, db: string | undefined): Promise<Store> {
  const location = resolveStoreLocation({
    ...(db === undefined ? {} : { db }),
    env: process.env,
    repositoryRoot,
    cwd: process.cwd(),
  });
  if (
    location.kind === 'sqlite' &&
    location.path !== ':memory:' &&
    db === undefined &&
    !process.env['SHIPGUARD_DB']
  ) {
    const folder = dirname(location.path);
    await mkdir(folder, { recursive: true });
    await writeFile(
      `${folder}/.gitignore`,
      '# Written by shipguard: the local store never belongs in git.\n*\n',
      {
        flag: 'w',
      },
    );
  }
  return openStore(location);
}

/** The SHA-256 of the assessment's canonical JSON (RFC 8785): what the ledger vouches for. */
export function assessmentDigest(assessment: Assessment): string {
  return createHash('sha256').update(canonicalBytes(assessment)).digest('hex');
}

/** Stores the assessment and appends its digest to the ledger, so history cannot be rewritten unseen. */
export async function saveAssessmentRecord(
  assessment: Assessment,
  repositoryRoot: string,
  db: string | undefined,
): Promise<{ ledgerIndex: number; digest: string }> {
  const store = await openCommandStore(repositoryRoot, db);
  try {
    await store.saveAssessment(assessment, { repository: repositoryRoot });
    const digest = assessmentDigest(assessment);
    const appended = await appendToLedger(store, {
      type: 'assessment.completed',
      data: {
        assessmentId: assessment.id,
        repository: repositoryRoot,
        commit: assessment.subject.commit ?? null,
        digest: `sha256:${digest}`,
        summary: { ...assessment.summary },
      },
    });
    return { ledgerIndex: appended.firstIndex, digest };
  } finally {
    await store.close();
  }
}
