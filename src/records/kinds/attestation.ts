import { z } from 'zod';
import { controlIds, text } from './common.js';
import { defineKind } from './types.js';

/** The signed form of a shipguard.yaml attestation: a named person vouches that controls are met. */
export const attestation = defineKind({
  kind: 'attestation',
  title: 'Signed attestation of named controls',
  catalogType: 'attestation',
  data: z.strictObject({
    controls: controlIds,
    statement: text(4000),
    /** Where the underlying evidence is kept. */
    reference: text(500),
  }),
  subject: (data) => data.controls.join(','),
  defaultCadenceDays: 365,
});
