import { z } from 'zod';
import { text } from './common.js';
import { defineKind } from './types.js';

/** A deposit of source code with an escrow agent, where a contract requires one (policy 2.3). */
export const escrow = defineKind({
  kind: 'escrow',
  title: 'Source code escrow deposit',
  catalogType: 'attestation',
  data: z.strictObject({
    system: text(200),
    agent: text(200),
    /** The contract or customer that requires the escrow. */
    requiredBy: text(300),
    /** What was deposited: a tag, commit or archive digest. */
    deposit: text(300),
  }),
  subject: (data) => data.system,
  defaultCadenceDays: 365,
});
