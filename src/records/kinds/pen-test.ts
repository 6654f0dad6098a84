import { z } from 'zod';
import { calendarDate, itemId, severity, text } from './common.js';
import { defineKind } from './types.js';

/** What a penetration test must examine, at least (policy 2.4). */
export const requiredPenTestScope = ['input-validation', 'user-enumeration', 'hardening'] as const;

export const penTest = defineKind({
  kind: 'pen-test',
  title: 'Penetration test engagement',
  catalogType: 'pen-test',
  data: z.strictObject({
    engagement: itemId,
    tester: text(200),
    /** external firm, or an internal team independent of the developers. */
    independence: z.enum(['external', 'internal-independent', 'internal']),
    started: calendarDate,
    ended: calendarDate,
    scope: z
      .array(z.string().regex(/^[a-z0-9-]{1,64}$/))
      .min(1)
      .max(100),
    /** The report's evidence file name. */
    report: text(200),
    findings: z.array(z.strictObject({ id: itemId, title: text(300), severity })).max(10_000),
    presentedToCto: calendarDate.optional(),
  }),
  subject: (data) => data.engagement,
});
