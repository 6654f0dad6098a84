import { z } from 'zod';
import { text } from './common.js';
import { defineKind } from './types.js';

export const changeClasses = ['standard', 'normal', 'major', 'emergency'] as const;

export const riskAssessment = defineKind({
  kind: 'risk-assessment',
  title: 'Risk assessment of a change (or of a new library)',
  catalogType: 'risk-assessment',
  data: z.strictObject({
    /** The change request (or `library:<purl>` for a library adoption). */
    change: text(200),
    changeClass: z.enum(changeClasses),
    risks: z
      .array(
        z.strictObject({ risk: text(500), rating: z.enum(['high', 'medium', 'low']), treatment: text(500) }),
      )
      .max(500),
    legalAndRegulatory: text(2000),
    personalData: z.boolean(),
    outcome: z.enum(['accepted', 'accepted-with-conditions', 'rejected']),
  }),
  subject: (data) => data.change,
  signerDistinct: true,
});
