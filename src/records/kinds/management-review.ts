import { z } from 'zod';
import { calendarDate, text } from './common.js';
import { defineKind } from './types.js';

export const managementReview = defineKind({
  kind: 'management-review',
  title: 'Management review of the policy',
  catalogType: 'policy-review',
  data: z.strictObject({
    policy: z.string().regex(/^[a-z0-9-]{1,64}$/),
    /** annual, or after an ISMS non-conformance or improvement opportunity. */
    trigger: z.enum(['annual', 'non-conformance', 'improvement']),
    outcome: z.enum(['policy-still-fit', 'policy-changed']),
    changes: text(4000).optional(),
    nextDue: calendarDate,
  }),
  subject: (data) => data.policy,
  signerRoles: ['management', 'cto'],
});
