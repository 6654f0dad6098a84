import type { Evidence } from '../../kernel/index.js';
import { failed, findingOf, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { BackupFacts, BackupLocation } from './collect.js';

const dayMs = 24 * 60 * 60 * 1000;

export const backupsRecent: Check<BackupFacts> = {
  id: 'backups/recent',
  title: 'Backups of the repository are recent and readable',
  severity: 'medium',
  remediation:
    'Refresh the backup (git bundle create --all, or git push --mirror) on a schedule shorter than backups.maxAgeDays, and test restoring it.',
  evaluate(facts, _policy, context) {
    if (facts.state === 'not-git')
      return unknown(this.id, 'not a git repository', 'Run the assessment on a git clone.');
    if (facts.state === 'none-configured') {
      return unknown(
        this.id,
        'no backup location is named in shipguard.yaml',
        'List local bundle files or mirror folders under backups.locations in shipguard.yaml, or attest the backup test (record backup-test).',
      );
    }
    if (facts.state === 'unreadable')
      return unknown(
        this.id,
        facts.message,
        'Name the default branch in shipguard.yaml (review.defaultBranch).',
      );
    const stale = (location: BackupLocation) =>
      location.state === 'missing' ||
      location.state === 'invalid' ||
      location.state === 'diverged' ||
      (location.state === 'behind' &&
        location.oldestMissing !== undefined &&
        context.now.getTime() - Date.parse(location.oldestMissing) > facts.maxAgeDays * dayMs);
    const bad = facts.locations.filter(stale);
    const local = facts.locations.filter((location) => location.state !== 'not-local');
    const evidence: Evidence[] = facts.locations.map((location) => ({
      kind: 'record',
      source: location.location,
      note: `${location.kind} ${location.state}: ${location.detail}`,
    }));
    if (bad.length > 0) {
      return failed(
        this.id,
        `${bad.length} of ${facts.locations.length} backups are missing, unreadable or older than ${facts.maxAgeDays} days`,
        evidence,
        bad.map((location) =>
          findingOf(this, `${location.location}: ${location.state} (${location.detail})`, {
            key: location.location,
          }),
        ),
      );
    }
    if (local.length === 0) {
      return unknown(
        this.id,
        'only remote backups are named; they are not contacted offline',
        'Add a local bundle or mirror path, or attest the backup test.',
      );
    }
    return passed(
      this.id,
      `${local.length} backup(s) hold ${facts.branch} within ${facts.maxAgeDays} days`,
      evidence,
    );
  },
};
