import { z } from 'zod';
import { evidenceLevels, severities } from '../kernel/index.js';

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

const evidenceLevel = z.enum(evidenceLevels);

/**
 * The weakest evidence a control may pass on (declared < signed < verified), by severity and per
 * control. A control whose best evidence is weaker is `unknown`, saying what is needed.
 */
export const EvidenceSettings = z.strictObject({
  minimumLevel: z
    .strictObject({
      critical: evidenceLevel.default('signed'),
      high: evidenceLevel.default('signed'),
      medium: evidenceLevel.default('declared'),
      low: evidenceLevel.default('declared'),
      info: evidenceLevel.default('declared'),
    })
    .prefault({}),
  /** Per control id, overriding the severity's minimum. */
  controls: z.record(controlId, evidenceLevel).default({}),
  /**
   * Evidence imported from other tools (`shipguard evidence import`) older than this many days
   * no longer carries a control: the result says it is stale.
   */
  importMaxAgeDays: z.number().int().min(1).max(3650).default(30),
});
export type EvidenceSettings = z.infer<typeof EvidenceSettings>;

/** `YYYY-MM-DD..YYYY-MM-DD`, both days included. */
export const auditPeriodPattern = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;
export const AuditPeriodText = z
  .string()
  .trim()
  .regex(auditPeriodPattern, 'expected an audit period as YYYY-MM-DD..YYYY-MM-DD');

/** Reading the default branch's history: review coverage, separation of duties, signatures. */
export const ReviewSettings = z.strictObject({
  /** The branch whose history is reviewed; default: origin/HEAD's target, else main or master. */
  defaultBranch: z.string().trim().min(1).max(255).optional(),
  /**
   * At most this many of the newest first-parent changes are read (`shipguard review` default
   * 1000). In `assess` the audit period decides; a cap that cuts it makes history controls unknown.
   */
  last: z.number().int().min(1).max(2_000_000).optional(),
  /** `shipguard review`: read only changes since this date (YYYY-MM-DD); `assess` uses the audit period. */
  since: calendarDate.optional(),
  /** Share of changes (0 to 1) that must carry review evidence. */
  coverageThreshold: z.number().min(0).max(1).default(1),
  /** Share of changes (0 to 1) in the audit period that must carry a verified signature (default every one). */
  signedChangesThreshold: z.number().min(0).max(1).default(1),
  /** An ssh allowed_signers file (relative to the repository root) to verify SSH signatures. */
  allowedSignersFile: z.string().trim().min(1).max(4096).optional(),
  /** A forge to ask for approvals, with a read-only token taken from an environment variable. */
  forge: z
    .strictObject({
      kind: z.enum(['github', 'gitlab']),
      /** GitHub `owner/repo`; GitLab `group/project` or the numeric project id. */
      project: z.string().trim().min(1).max(300),
      /** API base URL; default the public forge's. */
      apiUrl: z.url({ protocol: /^https?$/ }).optional(),
      /** Name of the environment variable holding the token (never the token itself). */
      tokenEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]{0,100}$/, 'an environment variable name such as GITHUB_TOKEN'),
    })
    .optional(),
});
export type ReviewSettings = z.infer<typeof ReviewSettings>;

/** Backups of the repository (local bundle files or mirror repositories) checked for recency. */
export const BackupSettings = z.strictObject({
  /** Bundle files or mirror repository folders, relative to the repository root or absolute. */
  locations: z.array(z.string().trim().min(1).max(4096)).max(100).default([]),
  /** A change on the default branch missing from a backup for longer than this fails. */
  maxAgeDays: z.number().int().min(0).max(3650).default(7),
});
export type BackupSettings = z.infer<typeof BackupSettings>;

/** Delivery pipelines, environments and test data (`shipguard pipelines`, the pipelines collectors). */
export const PipelineSettings = z.strictObject({
  /** Owners whose actions count as first-party like actions/* (an unpinned one is then low severity). */
  trustedActionOwners: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  /** Environment names that count as production besides names containing prod, production or live. */
  productionEnvironments: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  testData: z
    .strictObject({
      /** Paths (a prefix, or a glob with * and **) whose test data is not scanned. */
      allowPaths: z.array(z.string().trim().min(1).max(4096)).max(1000).default([]),
      /** E-mail domains accepted in test data besides the reserved example domains. */
      allowEmailDomains: z.array(z.string().trim().min(1).max(253)).max(1000).default([]),
    })
    .prefault({}),
});
export type PipelineSettings = z.infer<typeof PipelineSettings>;

/** Dependencies and advisories (`shipguard vulns`, the supply-chain collectors; docs/supply-chain.md). */
export const SupplyChainSettings = z.strictObject({
  /** Days allowed to fix a vulnerable dependency once the advisory is published, per severity. */
  slaDays: z
    .strictObject({
      critical: z.number().int().min(0).max(3650).default(7),
      high: z.number().int().min(0).max(3650).default(30),
      medium: z.number().int().min(0).max(3650).default(90),
      low: z.number().int().min(0).max(3650).default(180),
    })
    .prefault({}),
  /** The advisory database counts as stale (the advisory checks unknown) past this many days. */
  advisoryDatabaseMaxAgeDays: z.number().int().min(1).max(365).default(7),
  /** Update automation counts as prompt only when it runs at least this often (days; default weekly). */
  updateWindowDays: z.number().int().min(1).max(366).default(7),
  /** Registry hosts packages and images may come from, besides the public ones (`*.` for a domain). */
  trustedRegistries: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(
          /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
          'expected a host name, or *.domain',
        ),
    )
    .max(200)
    .default([]),
  /** Whether each ecosystem's own public registry (its package manager's default) is trusted. */
  publicRegistries: z.boolean().default(true),
});
export type SupplyChainSettings = z.infer<typeof SupplyChainSettings>;

/** Rule ids of the deploy gate (docs/gate.md). */
export const gateRuleIds = [
  'provenance',
  'source-reviewed',
  'secrets',
  'vulnerabilities',
  'sbom',
  'assessment',
  'change',
  'separation-of-duties',
  'freeze',
  'responders',
] as const;
export const GateRuleId = z.enum(gateRuleIds);
export type GateRuleId = z.infer<typeof GateRuleId>;

const weeklyMoment = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(sunday|monday|tuesday|wednesday|thursday|friday|saturday) ([01]\d|2[0-3]):[0-5]\d$/,
    'expected a weekday and a 24-hour time, e.g. "friday 15:00"',
  );
const personName = z.string().trim().min(1).max(200);
const filePath = z.string().trim().min(1).max(4096);

/** One environment's gate: its rules, time zone, freezes, calendars and responders. */
export const GateEnvironment = z.strictObject({
  /** Rules to evaluate; default: every rule for a production environment, else provenance and secrets. */
  rules: z.array(GateRuleId).max(gateRuleIds.length).optional(),
  /** IANA time zone of freeze windows and all-day calendar events. */
  timeZone: z.string().trim().min(1).max(100).default('UTC'),
  /** Weekly freezes in local time; default for a production environment: friday 15:00 to monday 08:00. */
  freezes: z
    .array(z.strictObject({ name: z.string().trim().min(1).max(100), from: weeklyMoment, to: weeklyMoment }))
    .max(50)
    .optional(),
  /** iCalendar files of public holidays (no deploys on them), relative to the repository root. */
  holidayCalendars: z.array(filePath).max(20).default([]),
  /** iCalendar files of leave; events name people by ATTENDEE, else by SUMMARY up to ':' or ' - '. */
  leaveCalendars: z.array(filePath).max(20).default([]),
  /** Deny unless at least `minimum` of these people have no leave in the next `withinHours`. */
  responders: z
    .strictObject({
      people: z.array(personName).min(1).max(200),
      minimum: z.number().int().min(1).max(200).default(1),
      withinHours: z
        .number()
        .min(1)
        .max(24 * 31)
        .default(24),
    })
    .optional(),
  /** Vulnerabilities at or above this severity and past their SLA deny the deploy. */
  vulnerabilityThreshold: z.enum(['critical', 'high', 'medium', 'low']).default('high'),
  /** PEM public keys trusted to sign provenance, read from the protected branch at these paths. */
  trustedKeys: z.array(filePath).max(50).default([]),
  /** PEM public keys trusted to sign VEX documents for this environment's product; default: trustedKeys. */
  vexTrustedKeys: z.array(filePath).max(50).optional(),
  /** Expected builder id of the provenance; without an @, any version of it. */
  builderId: z.string().trim().min(1).max(1000).optional(),
  /** The deployer must differ from the change's and the commit's authors; default true for prod. */
  deployerMustDifferFromAuthor: z.boolean().optional(),
  /**
   * The source-reviewed rule needs verified review evidence (a merge signed by a key the protected
   * branch's allowed-signers file allows for a committer who is not an author), not trailers the
   * author can type. Default: on for production environments.
   */
  requireVerifiedReview: z.boolean().optional(),
});
export type GateEnvironment = z.infer<typeof GateEnvironment>;

/** Change control: classes, approvals, roles, templates, emergency reviews (docs/gate.md). */
export const ChangeSettings = z.strictObject({
  /** Independent approvals a normal change needs. */
  normalApprovals: z.number().int().min(1).max(10).default(1),
  /** Independent approvals a major change needs, one of them by someone with `majorApproverRole`. */
  majorApprovals: z.number().int().min(2).max(10).default(2),
  majorApproverRole: z.string().trim().min(1).max(100).default('change-manager'),
  /** Person (name or e-mail) → roles. */
  roles: z.record(personName, z.array(z.string().trim().min(1).max(100)).max(20)).default({}),
  /** Pre-approved templates a standard change names. */
  standardTemplates: z
    .array(
      z.strictObject({
        id: z.string().trim().min(1).max(100),
        description: z.string().trim().min(1).max(1000),
      }),
    )
    .max(200)
    .default([]),
  /** Hours after creation after which an emergency change approves nothing (capped at 7 days). */
  emergencyApprovalHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(24),
  /** Hours after implementation within which an emergency change's review is due. */
  emergencyReviewHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
});
export type ChangeSettings = z.infer<typeof ChangeSettings>;

/** A CI workload allowed to act as a principal: an OIDC ID token whose claims match all of these. */
export const WorkloadRule = z.strictObject({
  /** Shown in records and reports. */
  name: personName,
  /** The token issuer, e.g. https://token.actions.githubusercontent.com or https://gitlab.com. */
  issuer: z.url({ protocol: /^https?$/ }),
  /** The audience the token must be minted for (GitHub: `core.getIDToken(aud)`, GitLab: `id_tokens.aud`). */
  audience: z.string().trim().min(1).max(200),
  /** GitHub `owner/repo`, GitLab `group/project`. */
  repository: z.string().trim().min(1).max(300),
  /** Full refs the workload may run on, e.g. refs/heads/main. */
  refs: z.array(z.string().trim().min(1).max(255)).min(1).max(50),
  /** CI environments the workload may run in; empty: the token must still name one when the gate asks. */
  environments: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
});
export type WorkloadRule = z.infer<typeof WorkloadRule>;

/**
 * Who may act (approve, deploy), as read from the protected default branch: registered signing
 * keys (PEM public keys, or an OpenSSH allowed_signers file) and CI workload identities.
 */
export const PrincipalSettings = z.strictObject({
  keys: z
    .array(
      z.strictObject({
        name: personName,
        /** E-mail addresses of this person, so their commits are recognised as theirs. */
        emails: z.array(z.string().trim().min(3).max(320)).max(20).default([]),
        /** A PEM public key file, relative to the repository root, read from the protected branch. */
        publicKey: filePath,
      }),
    )
    .max(1000)
    .default([]),
  /** An OpenSSH allowed_signers file (relative to the repository root), read from the protected branch. */
  allowedSigners: filePath.optional(),
  workloads: z.array(WorkloadRule).max(100).default([]),
});
export type PrincipalSettings = z.infer<typeof PrincipalSettings>;

/** The ledger's checkpoint keys: signed-note verifier keys (`<name>+<hex id>+<base64 key>`). */
export const LedgerSettings = z.strictObject({
  checkpointKeys: z.array(z.string().trim().min(1).max(1000)).max(20).default([]),
});
export type LedgerSettings = z.infer<typeof LedgerSettings>;

/** The deploy gate (`shipguard gate`, `shipguard change`). */
export const GateSettings = z.strictObject({
  environments: z.record(z.string().trim().min(1).max(100), GateEnvironment).default({}),
  changes: ChangeSettings.prefault({}),
});
export type GateSettings = z.infer<typeof GateSettings>;

export const Policy = z.strictObject({
  version: z.literal(1).default(1),
  /** The lowest severity of a failing control that makes `assess` exit 1. */
  failOn: FailOn.default('high'),
  /** The lowest severity of an unknown control that makes `assess` exit 1 (strict mode); default none. */
  failOnUnknown: FailOn.default('none'),
  /** The audit period history-based controls judge; default: the 12 months up to the assessment. */
  auditPeriod: AuditPeriodText.optional(),
  evidence: EvidenceSettings.prefault({}),
  thresholds: Thresholds.prefault({}),
  review: ReviewSettings.prefault({}),
  backups: BackupSettings.prefault({}),
  pipelines: PipelineSettings.prefault({}),
  supplyChain: SupplyChainSettings.prefault({}),
  gate: GateSettings.prefault({}),
  principals: PrincipalSettings.prefault({}),
  ledger: LedgerSettings.prefault({}),
  controls: z.record(controlId, ControlApplicability).default({}),
  /**
   * The longest an exception may run from today, in days, by the severity of its control;
   * `fingerprint` for exceptions naming one finding. Never more than 365.
   */
  exceptionMaxDays: z
    .strictObject({
      critical: z.number().int().min(1).max(365).default(30),
      high: z.number().int().min(1).max(365).default(90),
      medium: z.number().int().min(1).max(365).default(180),
      low: z.number().int().min(1).max(365).default(365),
      info: z.number().int().min(1).max(365).default(365),
      fingerprint: z.number().int().min(1).max(365).default(90),
    })
    .prefault({}),
  exceptions: z.array(PolicyException).default([]),
  attestations: z.array(Attestation).default([]),
});
export type Policy = z.infer<typeof Policy>;

/** The policy used when a repository has no shipguard.yaml: every default, secure by default. */
export function defaultPolicy(): Policy {
  return Policy.parse({});
}
