import { z } from 'zod';
import { text } from './common.js';
import { defineKind } from './types.js';

export const accessReview = defineKind({
  kind: 'access-review',
  title: 'Access review (re-validation of who can reach a system)',
  catalogType: 'access-review',
  data: z.strictObject({
    /** `source-code`, `deployment`, `production`, or a system name. */
    system: text(200),
    accountsReviewed: z.number().int().nonnegative(),
    accountsRemoved: z.array(text(320)).max(10_000),
  }),
  subject: (data) => data.system,
  defaultCadenceDays: 182,
});
