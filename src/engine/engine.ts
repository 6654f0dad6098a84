import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/index.js';
import type { AnyCollector, CheckContext } from '../collectors/index.js';
import type { RepositorySnapshot } from '../kernel/index.js';
import {
  type Assessment,
  type AssessmentProblem,
  type AssessmentSubject,
  type CheckResult,
  controlStatuses,
  describeError,
  emptyStatusCounts,
  redactDeep,
  toolVersion,
  withGitMemo,
} from '../kernel/index.js';
import type { LoadedPolicy } from '../policy/index.js';
import { noStoreAccess, type StoreAccess } from '../store/index.js';
import { type ControlInputs, evaluateControls } from './evaluate-controls.js';
import { activeExceptions, applyFindingExceptions, type ProtectedExceptions } from './exceptions.js';
import { formatAuditPeriod, resolveAuditPeriod } from './period.js';

export interface AssessInputs {
  repository: RepositorySnapshot;
  catalog: Catalog;
  collectors: Readonly<Record<string, AnyCollector>>;
  loadedPolicy: LoadedPolicy;
  now?: () => Date;
  /** The command's store; without one, collectors that read stored evidence say there is none. */
  store?: StoreAccess;
  /** Variables the policy may name (forge tokens), read by the CLI. */
  environment?: Readonly<Record<string, string | undefined>>;
  onProgress?: (message: string) => void;
  /** Called as each collector finishes (facts read and checks judged), with its wall time. */
  onCollectorDone?: (collectorId: string, milliseconds: number) => void;
  /** `--period FROM..TO`; default: the policy's auditPeriod, else the last 12 months. */
  period?: string;
  /**
   * The exceptions on the protected default branch: only those count (read by the CLI). Library
   * callers that leave it out apply the policy's exceptions as given.
   */
  protectedExceptions?: ProtectedExceptions;
  /** What signed records say per control, and the records that could not be counted. */
  records?: { outcomes: ControlInputs['recordOutcomes']; problems: readonly AssessmentProblem[] };
}

/**
 * Runs the assessment: collectors read the repository in parallel, checks judge the facts,
 * controls join checks and records. A collector or check that throws becomes `unknown` with the
 * reason, and a problem; it never stops the run.
 */
export function assess(inputs: AssessInputs): Promise<Assessment> {
  // One assessment asks git the same questions from many collectors: each is asked once.
  return withGitMemo(() => assessOnce(inputs));
}

async function assessOnce(inputs: AssessInputs): Promise<Assessment> {
  const clock = inputs.now ?? (() => new Date());
  const startedAt = clock();
  const period = resolveAuditPeriod(inputs.period, inputs.loadedPolicy.policy.auditPeriod, startedAt);
  // Collectors and checks read the resolved period from the policy they are given.
  const loadedPolicy: LoadedPolicy = {
    ...inputs.loadedPolicy,
    policy: { ...inputs.loadedPolicy.policy, auditPeriod: formatAuditPeriod(period) },
  };
  inputs = { ...inputs, loadedPolicy };
  const problems: AssessmentProblem[] = [];
  const context: CheckContext = { now: startedAt };
  const collectorList = Object.values(inputs.collectors);
  let finished = 0;

  const perCollector = await Promise.all(
    collectorList.map(async (collector) => {
      const started = performance.now();
      const results = await runCollector(collector, inputs, context, problems);
      finished += 1;
      inputs.onCollectorDone?.(collector.id, performance.now() - started);
      inputs.onProgress?.(`assessing: ${finished}/${collectorList.length} collectors done (${collector.id})`);
      return results;
    }),
  );

  const exceptions = activeExceptions(inputs.loadedPolicy, startedAt, inputs.protectedExceptions);
  problems.push(...exceptions.problems);
  const checkResults = new Map<string, CheckResult>();
  for (const result of perCollector.flat()) {
    checkResults.set(result.checkId, applyFindingExceptions(result, exceptions, inputs.loadedPolicy));
  }
  problems.push(...unknownPolicyReferences(inputs, exceptions));

  const controls = evaluateControls(inputs.catalog, {
    checkResults,
    loadedPolicy: inputs.loadedPolicy,
    exceptions,
    now: startedAt,
    ...(inputs.records?.outcomes ? { recordOutcomes: inputs.records.outcomes } : {}),
  });
  problems.push(...(inputs.records?.problems ?? []));
  const summary = emptyStatusCounts();
  for (const control of controls) summary[control.status] += 1;

  const assessment: Assessment = {
    schemaVersion: 1,
    tool: { name: 'shipguard', version: toolVersion },
    id: randomUUID(),
    startedAt: startedAt.toISOString(),
    finishedAt: clock().toISOString(),
    subject: describeSubject(inputs.repository),
    catalogVersion: inputs.catalog.version,
    period,
    summary,
    controls: controls.sort(
      (a, b) =>
        controlStatuses.indexOf(a.status) - controlStatuses.indexOf(b.status) ||
        a.controlId.localeCompare(b.controlId),
    ),
    problems: [...inputs.repository.problems, ...problems],
  };
  if (inputs.loadedPolicy.path) assessment.policyPath = inputs.loadedPolicy.path;
  // Findings, evidence and problems quote repository text: nothing leaves the engine unredacted.
  return redactDeep(assessment);
}

async function runCollector(
  collector: AnyCollector,
  inputs: AssessInputs,
  context: CheckContext,
  problems: AssessmentProblem[],
): Promise<CheckResult[]> {
  let facts: unknown;
  try {
    facts = await collector.collect(inputs.repository, inputs.loadedPolicy.policy, {
      now: context.now,
      store: inputs.store ?? noStoreAccess(),
      environment: inputs.environment ?? {},
    });
  } catch (error) {
    const reason = describeError(error);
    problems.push({
      severity: 'error',
      code: 'COLLECTOR_FAILED',
      message: `collector ${collector.id} failed: ${reason}`,
    });
    return collector.checks.map((check) => ({
      checkId: check.id,
      status: 'unknown',
      summary: `could not collect evidence: ${reason}`,
      evidence: [],
      findings: [],
      howToProvide: 'Fix the error above and run the assessment again.',
    }));
  }
  return collector.checks.map((check) => {
    try {
      return check.evaluate(facts, inputs.loadedPolicy.policy, context);
    } catch (error) {
      const reason = describeError(error);
      problems.push({
        severity: 'error',
        code: 'CHECK_FAILED',
        message: `check ${check.id} failed: ${reason}`,
      });
      return {
        checkId: check.id,
        status: 'unknown',
        summary: `the check failed: ${reason}`,
        evidence: [],
        findings: [],
        howToProvide: 'Report this as a shipguard bug, with the message above.',
      };
    }
  });
}

/** Policy entries that name a control the catalog does not have are mistakes worth saying. */
function unknownPolicyReferences(
  inputs: AssessInputs,
  exceptions: ReturnType<typeof activeExceptions>,
): AssessmentProblem[] {
  const known = new Set(inputs.catalog.controls.map((control) => control.id));
  const named = new Set([
    ...Object.keys(inputs.loadedPolicy.policy.controls),
    ...exceptions.byControl.keys(),
    ...inputs.loadedPolicy.policy.attestations.map((attestation) => attestation.control),
  ]);
  const path = inputs.loadedPolicy.path ?? 'shipguard.yaml';
  return [...named]
    .filter((id) => !known.has(id))
    .map((id) => ({
      severity: 'warning' as const,
      code: 'POLICY_UNKNOWN_CONTROL',
      message: `${path} names control ${id}, which is not in the catalog (see \`shipguard controls\`)`,
      location: { path },
    }));
}

function describeSubject(repository: RepositorySnapshot): AssessmentSubject {
  const subject: AssessmentSubject = {
    path: repository.displayPath,
    isGitRepository: repository.isGitRepository,
  };
  const git = repository.git;
  if (git?.head) subject.commit = git.head;
  if (git?.branch) subject.branch = git.branch;
  if (git) {
    subject.shallow = git.shallow;
    subject.dirty = git.dirty;
  }
  return subject;
}
