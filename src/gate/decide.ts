/**
 * The deploy gate's decision: a pure function of facts already gathered (gather.ts does the I/O).
 * The CLI calls it and the server will call it the same way.
 *
 * Fail secure: a fact that could not be gathered is an `error` outcome, any `error` or `fail` is
 * a deny, and a rule that throws is an error.
 */

import type { ChangeRecord } from '../changes/index.js';
import {
  type Principal,
  principalDisplay,
  principalMatchesPerson,
  type StatementProof,
  samePerson,
} from '../identity/index.js';
import {
  activeHolidays,
  type CalendarOccurrence,
  type ChangeSettings,
  freezesFor,
  type GateEnvironment,
  type GateRuleId,
  gateRuleIds,
  inWeeklyWindow,
  isProductionEnvironment,
  responderAvailability,
} from '../policy/index.js';

/**
 * A fact as gathered: its value, or why it could not be had. `missing` marks a fact that cannot
 * exist because another one failed (no verified provenance, so no source commit): a fail, not an
 * error.
 */
export type Fact<T> = { ok: true; value: T } | { ok: false; error: string; missing?: true };

export interface ProvenanceFact {
  /** False with a reason code when the attestation was read but did not verify. */
  verified: boolean;
  code?: string;
  reason?: string;
  keyIds?: string[];
  builderId?: string;
  sourceCommit?: string;
}

export interface SourceFact {
  commit: string;
  defaultBranch: string;
  reachable: boolean;
  verdict?: 'reviewed' | 'unverified' | 'unreviewed';
  reason?: string;
  /** Authors of the change that brought the commit to the default branch. */
  authors: string[];
  /** How the review is known (verified: a merge signature checked against the protected allowed signers). */
  level?: 'verified' | 'declared';
  levelReason?: string;
}

export interface SecretFact {
  ruleId: string;
  path: string;
  line: number;
  /** gitleaks fingerprint and shipguard's stable id (never the secret). */
  fingerprint?: string;
  id?: string;
}

export interface VulnerabilityFact {
  id: string;
  package: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'unknown';
  published?: string;
  slaDays: number;
  vex?: string;
  fingerprint: string;
  /** An unexpired policy exception covering this finding: its expiry date. */
  exceptionExpires?: string;
}

export interface AssessmentFact {
  id: string;
  /** Blocking controls (at or above the policy's failOn) that failed, without an exception. */
  blockingFailures: string[];
}

export interface CalendarFact {
  holidays: CalendarOccurrence[];
  leave: CalendarOccurrence[];
}

/** What the ledger says of the named change (src/changes findVerifiedApproval), never the store's row. */
export interface ChangeFact {
  id: string;
  /** Whether verified ledger entries approve this deployment (environment, commit, artefact, now). */
  approved: boolean;
  reason: string;
  /** Store rows or ledger entries that did not verify: reported, never counted. */
  tampering: string[];
  /** Names of the principals whose verified approvals count. */
  approvers: string[];
  /** Ledger indexes of the verified entries used. */
  ledgerIndexes: number[];
  /** The change rebuilt from verified ledger entries, when any verified. */
  record?: ChangeRecord;
}

/** The deployer as proved: the principal, and the signed statement or token that proved it. */
export interface DeployerProof {
  principal: Principal;
  statement: Record<string, unknown>;
  proof: StatementProof;
}

export interface GateInputs {
  /** Where the policy came from (the protected ref and commit), or why it could not be read. */
  policy: Fact<string>;
  environment: {
    name: string;
    settings: GateEnvironment;
    /** The protected policy names it production (`pipelines.productionEnvironments`); else judged by its name. */
    production?: boolean;
  };
  changeSettings: ChangeSettings;
  at: Date;
  /** The declared deployer (display only). */
  deployer: string;
  /** Undefined value: nothing proved who deploys (the name is only declared). */
  deployerPrincipal: Fact<DeployerProof | undefined>;
  artifact: { sha256: string };
  provenance: Fact<ProvenanceFact | undefined>;
  source: Fact<SourceFact>;
  secrets: Fact<SecretFact[]>;
  vulnerabilities: Fact<VulnerabilityFact[]>;
  /** The SBOM bound to the provenance; `reason` says why there is none. */
  sbom: Fact<{ present: boolean; source?: string; reason?: string }>;
  /** Undefined value: no assessment of the commit is stored. */
  assessment: Fact<AssessmentFact | undefined>;
  /** Undefined value: no change named. */
  change: Fact<ChangeFact | undefined>;
  calendar: Fact<CalendarFact>;
}

export type RuleOutcome = 'pass' | 'fail' | 'skipped' | 'error';

/** The policy is not a rule an environment lists: it is what every rule stands on. */
export type DecisionRuleId = GateRuleId | 'policy';

export interface RuleResult {
  id: DecisionRuleId;
  outcome: RuleOutcome;
  reason: string;
}

export interface GateOverride {
  rule: GateRuleId;
  change: string;
  approvers: string[];
  reason: string;
}

export interface GateDecision {
  result: 'allow' | 'deny';
  environment: string;
  at: string;
  deployer: string;
  /** The policy applied (protected ref and commit), or why there was none. */
  policy: string;
  rules: RuleResult[];
  overrides: GateOverride[];
}

/** Every rule, in the order docs/gate.md and the policy schema list them. */
const allRules: readonly GateRuleId[] = gateRuleIds;
const nonProductionRules: readonly GateRuleId[] = ['provenance', 'secrets'];

/** Production by its name (policy/environments.ts) or because the policy names it so; never less. */
function isProduction(environment: GateInputs['environment']): boolean {
  return environment.production === true || isProductionEnvironment(environment.name);
}

/** The rules an environment evaluates: its own list, else all for a production environment (policy/environments.ts), else fewer. */
export function rulesFor(
  name: string,
  settings: GateEnvironment,
  production = isProductionEnvironment(name),
): readonly GateRuleId[] {
  if (settings.rules) return settings.rules;
  return production ? allRules : nonProductionRules;
}

const severityOrder = ['low', 'medium', 'high', 'critical'] as const;

type RuleContext = { inputs: GateInputs; overrides: GateOverride[] };
type Rule = (context: RuleContext) => Omit<RuleResult, 'id'>;

function need<T>(fact: Fact<T>, what: string): { value: T } | Omit<RuleResult, 'id'> {
  if (fact.ok) return { value: fact.value };
  if (fact.missing) return { outcome: 'fail', reason: `${what} is unknown: ${fact.error}` };
  return { outcome: 'error', reason: `${what} could not be read: ${fact.error}` };
}

function isOutcome<T>(value: { value: T } | Omit<RuleResult, 'id'>): value is Omit<RuleResult, 'id'> {
  return 'outcome' in value;
}

const rules: Record<GateRuleId, Rule> = {
  provenance: ({ inputs }) => {
    const fact = need(inputs.provenance, 'the provenance');
    if (isOutcome(fact)) return fact;
    if (fact.value === undefined)
      return { outcome: 'fail', reason: 'no provenance attestation was given (--attestation)' };
    if (!fact.value.verified) {
      return {
        outcome: 'fail',
        reason: `the provenance did not verify: ${fact.value.code ?? ''} ${fact.value.reason ?? ''}`.trim(),
      };
    }
    const keys = fact.value.keyIds?.join(', ') ?? 'a trusted key';
    return {
      outcome: 'pass',
      reason: `signed provenance for sha256:${inputs.artifact.sha256} verified with ${keys}`,
    };
  },
  'source-reviewed': ({ inputs }) => {
    const fact = need(inputs.source, 'the source commit');
    if (isOutcome(fact)) return fact;
    const source = fact.value;
    if (!source.reachable) {
      return {
        outcome: 'fail',
        reason: `commit ${source.commit} is not reachable from the default branch ${source.defaultBranch}`,
      };
    }
    if (source.verdict !== 'reviewed') {
      return {
        outcome: 'fail',
        reason:
          `commit ${source.commit} is on ${source.defaultBranch} but ${source.verdict ?? 'not known to be reviewed'}: ${source.reason ?? ''}`.trim(),
      };
    }
    const reviewed = `commit ${source.commit} is on ${source.defaultBranch} and reviewed (${source.reason ?? 'review evidence found'})`;
    const needVerified =
      inputs.environment.settings.requireVerifiedReview ?? isProduction(inputs.environment);
    if (needVerified && source.level !== 'verified') {
      return {
        outcome: 'fail',
        reason: `${reviewed}, but ${source.levelReason ?? 'the review evidence is only declared'}: merge with a commit signed by a reviewer whose key the protected branch's allowed-signers file (review.allowedSignersFile or principals.allowedSigners) allows`,
      };
    }
    return { outcome: 'pass', reason: source.levelReason ? `${reviewed}; ${source.levelReason}` : reviewed };
  },
  secrets: ({ inputs }) => {
    const fact = need(inputs.secrets, 'the secret scan of the released commit');
    if (isOutcome(fact)) return fact;
    if (fact.value.length === 0)
      return { outcome: 'pass', reason: 'no secret findings in the released commit' };
    const first = fact.value[0];
    return {
      outcome: 'fail',
      reason: `${fact.value.length} secret finding(s) in the released commit, e.g. ${first?.ruleId} at ${first?.path}:${first?.line}`,
    };
  },
  vulnerabilities: ({ inputs }) => {
    const fact = need(inputs.vulnerabilities, 'the vulnerability data');
    if (isOutcome(fact)) return fact;
    const threshold = severityOrder.indexOf(inputs.environment.settings.vulnerabilityThreshold);
    const blocking = fact.value.filter((finding) => {
      const level = severityOrder.indexOf(finding.severity === 'unknown' ? 'medium' : finding.severity);
      if (level < threshold) return false;
      if (finding.vex === 'not_affected' || finding.vex === 'fixed') return false;
      if (
        finding.exceptionExpires !== undefined &&
        inputs.at.toISOString().slice(0, 10) <= finding.exceptionExpires
      )
        return false;
      if (finding.published === undefined) return false;
      const days = Math.floor((inputs.at.getTime() - Date.parse(finding.published)) / 86_400_000);
      return days > finding.slaDays;
    });
    if (blocking.length === 0) {
      return {
        outcome: 'pass',
        reason: `no vulnerability at or above ${inputs.environment.settings.vulnerabilityThreshold} is past its SLA (${fact.value.length} known, VEX and exceptions applied)`,
      };
    }
    const first = blocking[0];
    return {
      outcome: 'fail',
      reason: `${blocking.length} vulnerability(ies) at or above ${inputs.environment.settings.vulnerabilityThreshold} past their SLA, e.g. ${first?.id} in ${first?.package}`,
    };
  },
  sbom: ({ inputs }) => {
    const fact = need(inputs.sbom, 'the SBOM');
    if (isOutcome(fact)) return fact;
    return fact.value.present
      ? { outcome: 'pass', reason: `SBOM present (${fact.value.source ?? 'given'})` }
      : { outcome: 'fail', reason: fact.value.reason ?? 'no SBOM bound to the provenance' };
  },
  assessment: ({ inputs }) => {
    const fact = need(inputs.assessment, 'the stored assessment');
    if (isOutcome(fact)) return fact;
    if (fact.value === undefined) {
      return {
        outcome: 'fail',
        reason: 'no assessment of the released commit is stored (run `shipguard assess` on it)',
      };
    }
    if (fact.value.blockingFailures.length > 0) {
      return {
        outcome: 'fail',
        reason: `assessment ${fact.value.id} has failing blocking controls: ${fact.value.blockingFailures.join(', ')}`,
      };
    }
    return {
      outcome: 'pass',
      reason: `assessment ${fact.value.id} of the commit has no failing blocking control`,
    };
  },
  change: ({ inputs }) => {
    const fact = need(inputs.change, 'the change record');
    if (isOutcome(fact)) return fact;
    const change = fact.value;
    if (change === undefined) return { outcome: 'fail', reason: 'no change record was named (--change)' };
    const tampering = change.tampering.length > 0 ? `; not counted: ${change.tampering.join('; ')}` : '';
    if (!change.approved) return { outcome: 'fail', reason: `${change.reason}${tampering}` };
    return { outcome: 'pass', reason: `${change.reason}${tampering}` };
  },
  'separation-of-duties': ({ inputs }) => {
    const required =
      inputs.environment.settings.deployerMustDifferFromAuthor ?? isProduction(inputs.environment);
    if (!required)
      return { outcome: 'skipped', reason: 'deployerMustDifferFromAuthor is off for this environment' };
    const proved = need(inputs.deployerPrincipal, 'the proof of who deploys');
    if (isOutcome(proved)) return proved;
    if (proved.value === undefined) {
      return {
        outcome: 'fail',
        reason: `the deployer ${inputs.deployer} is only declared: prove who deploys with --deployer-key (a registered key) or --deployer-oidc-token (a CI ID token)`,
      };
    }
    const deployer = proved.value.principal;
    const change = need(inputs.change, 'the change record');
    if (isOutcome(change)) return change;
    const source = need(inputs.source, 'the source commit');
    if (isOutcome(source)) return source;
    const record = change.value?.record;
    // Any key of the author (matching registered name or e-mail), not only the one that signed.
    if (record?.authorPrincipal && samePerson(record.authorPrincipal, deployer)) {
      return {
        outcome: 'fail',
        reason: `the deployer ${deployer.name} created change ${record.id}; someone else must deploy`,
      };
    }
    const authors = [...(record ? [record.author, ...record.commitAuthors] : []), ...source.value.authors];
    const same = authors.find((author) => principalMatchesPerson(deployer, author));
    if (same)
      return {
        outcome: 'fail',
        reason: `the deployer ${deployer.name} is an author (${same}); someone else must deploy`,
      };
    return {
      outcome: 'pass',
      reason: `the deployer ${principalDisplay(deployer)} is neither the change's nor the commit's author`,
    };
  },
  freeze: (context) => {
    const { inputs } = context;
    const fact = need(inputs.calendar, 'the holiday calendar');
    if (isOutcome(fact)) return fact;
    const zone = inputs.environment.settings.timeZone;
    const active: string[] = [];
    const { settings } = inputs.environment;
    for (const window of freezesFor(settings, isProduction(inputs.environment))) {
      if (inWeeklyWindow(inputs.at, window, zone)) active.push(window.name);
    }
    for (const holiday of activeHolidays(inputs.at, fact.value.holidays, zone))
      active.push(`public holiday: ${holiday.summary}`);
    if (active.length === 0)
      return { outcome: 'pass', reason: `no freeze is in force at ${inputs.at.toISOString()} (${zone})` };
    const override = emergencyOverride(inputs);
    if (override) {
      const reason = `${active.join('; ')} overridden by emergency change ${override.change} approved by ${override.approvers.join(', ')}`;
      context.overrides.push({ ...override, rule: 'freeze', reason });
      return { outcome: 'pass', reason };
    }
    return { outcome: 'fail', reason: `deployment freeze in force (${zone}): ${active.join('; ')}` };
  },
  responders: ({ inputs }) => {
    const responders = inputs.environment.settings.responders;
    if (!responders)
      return { outcome: 'skipped', reason: 'no responders are configured for this environment' };
    const fact = need(inputs.calendar, 'the leave calendar');
    if (isOutcome(fact)) return fact;
    const availability = responderAvailability(
      inputs.at,
      responders.withinHours,
      responders.people,
      fact.value.leave,
      inputs.environment.settings.timeZone,
    );
    const count = availability.available.length;
    const text = `${count} of ${responders.people.length} responders available in the next ${responders.withinHours} h (need ${responders.minimum})`;
    if (count >= responders.minimum)
      return { outcome: 'pass', reason: `${text}: ${availability.available.join(', ')}` };
    const away = availability.onLeave.map((item) => `${item.person} (${item.summary})`).join(', ');
    return { outcome: 'fail', reason: `${text}; on leave: ${away}` };
  },
};

function emergencyOverride(inputs: GateInputs): Omit<GateOverride, 'rule' | 'reason'> | undefined {
  const change = inputs.change.ok ? inputs.change.value : undefined;
  if (!change?.approved || change.record?.class !== 'emergency') return undefined;
  return { change: change.id, approvers: change.approvers };
}

/**
 * Evaluates the environment's rules over the facts. Pure and synchronous.
 *
 * @example
 * const decision = decide(await gatherInputs(options));
 * if (decision.result === 'deny') for (const rule of decision.rules) console.log(rule.id, rule.reason);
 */
export function decide(inputs: GateInputs): GateDecision {
  const overrides: GateOverride[] = [];
  const results: RuleResult[] = [];
  // Without the protected policy no rule can be trusted to be the right one: deny, say why.
  const policy = need(inputs.policy, 'the protected policy');
  if (isOutcome(policy)) results.push({ id: 'policy', ...policy });
  const { name, settings } = inputs.environment;
  const ids = isOutcome(policy) ? [] : rulesFor(name, settings, isProduction(inputs.environment));
  for (const id of ids) {
    const rule = rules[id];
    try {
      results.push({ id, ...rule({ inputs, overrides }) });
    } catch (error) {
      // A rule that cannot decide denies.
      results.push({
        id,
        outcome: 'error',
        reason: `the rule failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  const denied = results.some((result) => result.outcome === 'fail' || result.outcome === 'error');
  return {
    result: denied || results.length === 0 ? 'deny' : 'allow',
    environment: inputs.environment.name,
    at: inputs.at.toISOString(),
    deployer: inputs.deployer,
    policy: inputs.policy.ok ? inputs.policy.value : inputs.policy.error,
    rules: results,
    overrides,
  };
}
