import { z } from 'zod';
import { calendarDate, personId, text } from './common.js';
import { defineKind } from './types.js';

export const policyAcknowledgement = defineKind({
  kind: 'policy-acknowledgement',
  title: 'Policy acknowledgement (one person, one version)',
  catalogType: 'policy-acknowledgement',
  data: z.strictObject({
    person: personId,
    policy: z.string().regex(/^[a-z0-9-]{1,64}$/),
    version: text(50),
    acknowledged: calendarDate,
  }),
  subject: (data) => `${data.person}/${data.policy}/${data.version}`,
  csvColumns: { person: 'person', policy: 'policy', version: 'version', acknowledged: 'acknowledged' },
  fromCsv: (values) => ({ ...values }),
});
