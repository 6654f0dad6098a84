import { z } from 'zod';
import { calendarDate, text } from './common.js';
import { defineKind } from './types.js';

export const dataProtectionAssessment = defineKind({
  kind: 'data-protection-assessment',
  title: 'Data protection assessment of a change',
  catalogType: 'data-protection-assessment',
  data: z.strictObject({
    change: text(200),
    dataCategories: z.array(text(100)).max(100),
    minimised: z.boolean(),
    retention: text(500),
    outcome: z.enum(['approved', 'approved-with-conditions', 'rejected']),
    /** Deployments that affect data security are documented and announced (policy 2.5). */
    affectsDataSecurity: z.boolean(),
    notice: z.strictObject({ published: calendarDate, where: text(500) }).optional(),
  }),
  subject: (data) => data.change,
  signerDistinct: true,
});
