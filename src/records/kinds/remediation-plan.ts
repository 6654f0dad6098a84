import { z } from 'zod';
import { calendarDate, itemId, personId, text } from './common.js';
import { defineKind } from './types.js';

export const remediationStatuses = ['open', 'in-progress', 'closed'] as const;

/**
 * The CTO's plan for one pen test's findings. A new version of the plan supersedes the last; an
 * item once closed never reopens (a recurrence is a new item naming the old in `recurrenceOf`).
 */
export const remediationPlan = defineKind({
  kind: 'remediation-plan',
  title: "CTO's remediation plan for a penetration test",
  catalogType: 'security-review',
  data: z.strictObject({
    engagement: itemId,
    items: z
      .array(
        z.strictObject({
          id: itemId,
          findings: z.array(itemId).min(1).max(100),
          action: text(1000),
          owner: personId,
          due: calendarDate,
          status: z.enum(remediationStatuses),
          closed: calendarDate.optional(),
          recurrenceOf: itemId.optional(),
        }),
      )
      .max(10_000),
  }),
  subject: (data) => data.engagement,
  signerRoles: ['cto'],
});
