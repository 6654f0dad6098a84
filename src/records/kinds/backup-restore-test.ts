import { z } from 'zod';
import { text } from './common.js';
import { defineKind } from './types.js';

export const backupRestoreTest = defineKind({
  kind: 'backup-restore-test',
  title: 'Backup restore test',
  catalogType: 'backup-test',
  data: z.strictObject({
    system: text(200),
    restored: z.array(text(200)).min(1).max(100),
    succeeded: z.boolean(),
    notes: text(2000).optional(),
  }),
  subject: (data) => data.system,
  defaultCadenceDays: 365,
});
