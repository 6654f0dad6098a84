import { z } from 'zod';
import { controlIds, text } from './common.js';
import { defineKind } from './types.js';

/**
 * A review by someone other than the author of how named controls are met (design review,
 * security test plan, SDLC check). It evidences exactly the controls it lists.
 */
export const securityReview = defineKind({
  kind: 'security-review',
  title: 'Security review of named controls',
  catalogType: 'security-review',
  data: z.strictObject({
    subject: text(200),
    controls: controlIds,
    outcome: z.enum(['met', 'met-with-actions', 'not-met']),
    summary: text(4000),
    actions: z.array(text(500)).max(200).default([]),
  }),
  subject: (data) => data.subject,
  signerDistinct: true,
  defaultCadenceDays: 365,
});
