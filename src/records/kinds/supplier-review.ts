import { z } from 'zod';
import { calendarDate, text } from './common.js';
import { defineKind } from './types.js';

export const supplierReview = defineKind({
  kind: 'supplier-review',
  title: 'Supplier due diligence',
  catalogType: 'supplier-due-diligence',
  data: z.strictObject({
    supplier: text(200),
    service: text(300),
    /** development: outsourced development; cloud: hosting or development platform. */
    supplierKind: z.enum(['development', 'cloud']),
    outcome: z.enum(['approved', 'approved-with-conditions', 'rejected']),
    dataAgreement: z.boolean(),
    securityControls: text(2000),
    /** The secure development policy version issued to them. */
    policyVersionIssued: text(50).optional(),
    nextReview: calendarDate,
  }),
  subject: (data) => data.supplier,
  signerDistinct: true,
});
