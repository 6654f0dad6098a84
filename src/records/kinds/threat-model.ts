import { z } from 'zod';
import { itemId, personId, sha256Hex, text } from './common.js';
import { defineKind } from './types.js';

export const threatModelFormats = ['threat-dragon', 'threagile', 'pytm', 'markdown', 'other'] as const;

export const threatModel = defineKind({
  kind: 'threat-model',
  title: 'Threat model of a service or feature',
  catalogType: 'threat-model',
  data: z.strictObject({
    service: text(200),
    method: z.enum(['stride', 'linddun', 'pasta', 'attack-trees', 'other']),
    format: z.enum(threatModelFormats),
    /** The model file: its path in the repository (when kept there) and its SHA-256 when reviewed. */
    file: z.strictObject({ path: text(500), sha256: sha256Hex }),
    threats: z
      .array(
        z.strictObject({
          id: itemId,
          title: text(300),
          mitigations: z.array(text(500)).max(50),
          /** Tests that check the mitigations (test file paths or test names). */
          tests: z.array(text(500)).max(50),
        }),
      )
      .min(1)
      .max(5_000),
    reviewer: personId,
  }),
  subject: (data) => data.service,
  signerDistinct: true,
});
