import { z } from 'zod';
import { personId, text } from './common.js';
import { defineKind } from './types.js';

/** An entry of the critical asset register. */
export const asset = defineKind({
  kind: 'asset',
  title: 'Critical asset register entry',
  catalogType: 'asset-register',
  data: z.strictObject({
    asset: text(200),
    owner: personId,
    classification: z.enum(['public', 'internal', 'confidential', 'restricted']),
    value: z.enum(['low', 'medium', 'high', 'critical']),
    handling: text(1000),
    access: text(1000),
  }),
  subject: (data) => data.asset,
  defaultCadenceDays: 365,
});
