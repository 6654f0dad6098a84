import { z } from 'zod';
import { text } from './common.js';
import { defineKind } from './types.js';

export const alertTriage = defineKind({
  kind: 'alert-triage',
  title: 'Security alert triage',
  catalogType: 'attestation',
  data: z.strictObject({
    alert: text(300),
    source: text(200),
    impact: z.enum(['none', 'low', 'medium', 'high', 'critical']),
    action: text(2000),
  }),
  subject: (data) => data.alert,
  defaultCadenceDays: 90,
});
