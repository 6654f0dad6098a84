import { z } from 'zod';
import { itemId, text } from './common.js';
import { defineKind } from './types.js';

/** The CTO's sign-off that the remediation of a pen test was overseen (progress or completion). */
export const remediationOversight = defineKind({
  kind: 'remediation-oversight',
  title: "CTO's oversight sign-off of a remediation plan",
  catalogType: 'security-review',
  data: z.strictObject({
    engagement: itemId,
    /** The remediation plan record this sign-off is about. */
    plan: itemId,
    conclusion: z.enum(['on-track', 'complete', 'escalated']),
    notes: text(4000).optional(),
  }),
  subject: (data) => data.engagement,
  signerRoles: ['cto'],
});
