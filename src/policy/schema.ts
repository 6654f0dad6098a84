import { z } from 'zod';
import { severities } from '../core/model.js';

/** A calendar date written as YYYY-MM-DD (YAML may also hand us a Date for an unquoted date). */
const calendarDate = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
);

const controlId = z.string().regex(/^[A-Z]{2,5}-\d{2,3}$/, 'expected a control id such as DEV-01');

export const FailOn = z.enum([...severities, 'none']);
export type FailOn = z.infer<typeof FailOn>;

export const Thresholds = z.strictObject({
  /** Share of tracked files that CODEOWNERS must cover (0 to 1). */
  codeownersCoverage: z.number().min(0).max(1).default(0.8),
  /** A runtime reaching end of life within this many days is reported as a warning finding. */
  endOfLifeWarningDays: z.number().int().min(0).max(3650).default(90),
  /** The bundled end-of-life dataset is stale (a warning, and EOL checks unknown) past this age. */
  endOfLifeDatasetMaxAgeDays: z.number().int().min(1).max(3650).default(180),
});
export type Thresholds = z.infer<typeof Thresholds>;

export const ControlApplicability = z.strictObject({
  applicable: z.literal(false),
  reason: z.string().trim().min(10, 'say why, in a sentence'),
});

/** A risk acceptance: a control or one finding, accepted by an owner and an approver until a date. */
export const PolicyException = z
  .strictObject({
    control: controlId.optional(),
    fingerprint: z.string().min(8).optional(),
    reason: z.string().trim().min(10, 'say why, in a sentence'),
    owner: z.string().trim().min(1),
    approver: z.string().trim().min(1),
    expires: calendarDate,
  })
  .refine((value) => (value.control === undefined) !== (value.fingerprint === undefined), {
    message: 'an exception names exactly one of control or fingerprint',
  });
export type PolicyException = z.infer<typeof PolicyException>;

/** A record the policy asks for (training, pen test, review) until the server keeps them. */
export const Attestation = z.strictObject({
  control: controlId,
  date: calendarDate,
  by: z.string().trim().min(1),
  evidence: z.string().trim().min(1),
  note: z.string().optional(),
});
export type Attestation = z.infer<typeof Attestation>;

export const Policy = z.strictObject({
  version: z.literal(1).default(1),
  /** The lowest severity of a failing control that makes `assess` exit 1. */
  failOn: FailOn.default('high'),
  thresholds: Thresholds.prefault({}),
  controls: z.record(controlId, ControlApplicability).default({}),
  exceptions: z.array(PolicyException).default([]),
  attestations: z.array(Attestation).default([]),
});
export type Policy = z.infer<typeof Policy>;

/** The policy used when a repository has no shipguard.yaml: every default, secure by default. */
export function defaultPolicy(): Policy {
  return Policy.parse({});
}
