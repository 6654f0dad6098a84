import { z } from 'zod';
import { calendarDate, sha256Hex, text } from './common.js';
import { defineKind } from './types.js';

/** A version of a policy document, approved by management and issued for acknowledgement. */
export const policyVersion = defineKind({
  kind: 'policy-version',
  title: 'Policy version (approved, issued for acknowledgement)',
  catalogType: 'policy-review',
  data: z.strictObject({
    /** Which policy: `secure-development`, `data-handling`, … */
    policy: z.string().regex(/^[a-z0-9-]{1,64}$/),
    version: text(50),
    /** SHA-256 of the policy text as issued. */
    textSha256: sha256Hex,
    approved: calendarDate,
    /** Everyone in scope must acknowledge by this date. */
    acknowledgeBy: calendarDate,
    changes: text(4000).optional(),
  }),
  subject: (data) => data.policy,
  signerRoles: ['management', 'cto'],
});
