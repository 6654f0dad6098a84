import { z } from 'zod';
import { severities } from '../kernel/index.js';

/** The areas controls are grouped by in reports, in the order a reader meets them. */
export const areas = [
  'governance',
  'awareness',
  'requirements',
  'design',
  'development',
  'source-control',
  'supply-chain',
  'secrets',
  'pipeline',
  'testing',
  'deployment',
  'outsourcing',
] as const;
export type Area = (typeof areas)[number];

/** Kinds of record the policy asks an organisation to keep; later kept by `shipguard serve`. */
export const recordTypes = [
  'training',
  'pen-test',
  'threat-model',
  'policy-acknowledgement',
  'policy-review',
  'management-review',
  'asset-register',
  'supplier-due-diligence',
  'change-request',
  'risk-assessment',
  'data-protection-assessment',
  'access-review',
  'backup-test',
  'security-review',
  'attestation',
] as const;
export type RecordType = (typeof recordTypes)[number];

/** The two source documents in shared/seeds. */
export const sourceDocuments = ['ncsc-p7', 'iso-sdp'] as const;

export const ControlSource = z.strictObject({
  document: z.enum(sourceDocuments),
  /** A source item id from the traceability list, e.g. `ncsc-p7/goal-2` or `iso-sdp/2.3/separate-environments`. */
  item: z.string().regex(/^(ncsc-p7|iso-sdp)\/[a-z0-9.-]+(\/[a-z0-9.-]+)?$/),
});

export const Control = z.strictObject({
  id: z.string().regex(/^[A-Z]{2,5}-\d{2,3}$/),
  title: z.string().min(5),
  area: z.enum(areas),
  severity: z.enum(severities),
  /** The requirement in our own words. */
  requirement: z.string().min(20),
  sources: z.array(ControlSource).min(1),
  mappings: z.strictObject({
    /** ISO/IEC 27001:2022 Annex A control numbers, e.g. `8.25`. */
    iso27001: z.array(z.string().regex(/^[5-8]\.\d{1,2}$/)).default([]),
    /** NIST SSDF v1.1 tasks or practices, e.g. `PO.1.1`, `PW.7`. */
    ssdf: z.array(z.string().regex(/^(PO|PS|PW|RV)\.\d(\.\d)?$/)).default([]),
    /** NCSC Principle 7 goals, `goal-1` … `goal-8`. */
    ncsc: z.array(z.string().regex(/^goal-[1-8]$/)).default([]),
  }),
  assessment: z
    .strictObject({
      /** Automated check ids that exist today. */
      checks: z.array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/)).default([]),
      /** Check ids that later work will add; listed so the gap is visible. */
      planned: z.array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/)).default([]),
      /** A record that evidences the control (kept in shipguard.yaml `attestations` for now). */
      record: z.enum(recordTypes).optional(),
      /** How often the record must be renewed, in days, where the policy names a cadence. */
      cadenceDays: z.number().int().positive().optional(),
      /**
       * The checks judge the organisation's own work as a stand-in for the control's subject (the
       * review of in-house code for outsourced code): their failure does not show that the control
       * applies, so a reasoned declaration of not applicable stands. Otherwise a check failing on
       * what it found refuses the declaration.
       */
      standInChecks: z.literal(true).optional(),
    })
    .refine((value) => value.checks.length + value.planned.length > 0 || value.record !== undefined, {
      message: 'a control is assessed by checks, planned checks, or a record',
    }),
});
export type Control = z.infer<typeof Control>;

export const Catalog = z.strictObject({
  version: z.string(),
  controls: z.array(Control).min(1),
});
export type Catalog = z.infer<typeof Catalog>;
