/**
 * One gate run: reads the protected policy, gathers the facts, decides, and records the decision
 * in the ledger. A dry run (what-if inputs) is ledgered as `gate.what-if`, is never a decision
 * (no decision row, so no deployment record) and never exits 0 (docs/decisions/).
 *
 * Fail secure: a decision that cannot be ledgered is a deny with exit 3.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { consumeApproval, saveDecisionRow } from '../changes/index.js';
import { appendToLedger, canonicalBytes, type LedgerEvent } from '../ledger/index.js';
import { ChangeSettings, GateEnvironment, loadPolicy } from '../policy/index.js';
import type { Store } from '../store/index.js';
import { readBounded } from './bound-inputs.js';
import { decide, type Fact, type GateDecision, type GateInputs } from './decide.js';
import { attempt, readArtifact } from './fact.js';
import { gatherInputs } from './gather.js';
import { type PolicySource, readProtectedPolicy, whatIfPolicy } from './protected-policy.js';
import type { GateRunOptions } from './run-options.js';

/** What the run depends on, replaceable in tests to inject faults. */
export interface GateDependencies {
  openStore(): Promise<Store>;
  append(store: Store, event: LedgerEvent): Promise<{ firstIndex: number }>;
}

/** 0 allow, 1 deny, 3 error (always a deny), 4 a dry run that would allow (never a decision). */
export type GateExitCode = 0 | 1 | 3 | 4;

export interface GateRun {
  decision: GateDecision;
  decisionId: string;
  /** True for a what-if run: not a decision, whatever its result. */
  dryRun: boolean;
  /** sha256 of each fact's canonical JSON, as ledgered. */
  inputDigests: Record<string, string>;
  ledgerIndex?: number;
  /** Set when the run could not be ledgered (it is then a deny). */
  ledgerError?: string;
  exitCode: GateExitCode;
}

/** The ledger append every command uses. */
export const ledgerAppend: GateDependencies['append'] = appendToLedger;

async function policySourceFor(options: GateRunOptions): Promise<PolicySource> {
  const file = options.whatIf?.policyFile;
  if (file === undefined) return readProtectedPolicy(options.repositoryRoot, options.protectedRef);
  const root = options.repositoryRoot;
  return whatIfPolicy(await loadPolicy(root, file), file, (path, maxBytes) =>
    readBounded(isAbsolute(path) ? path : join(root, path), maxBytes),
  );
}

function notGathered<T>(reason: string): Fact<T> {
  return { ok: false, error: `not gathered: ${reason}`, missing: true };
}

/** Gathers the facts, decides, ledgers. Never throws for a fact; throws only for programming errors. */
export async function runGate(options: GateRunOptions, dependencies: GateDependencies): Promise<GateRun> {
  const dryRun = options.whatIf !== undefined;
  const [source, artifact, store] = await Promise.all([
    attempt(() => policySourceFor(options)),
    attempt(() => readArtifact(options.artifact)),
    attempt(() => dependencies.openStore()),
  ]);
  try {
    const inputs = source.ok
      ? await gatherInputs(options, source.value, artifact, store)
      : inputsWithoutPolicy(options, source, artifact.ok ? artifact.value.sha256 : 'unreadable');
    const decisionId = randomUUID();
    const decision =
      store.ok && !dryRun
        ? await useApproval(store.value, decide(inputs), inputs, decisionId)
        : decide(inputs);
    const inputDigests = digestInputs(inputs, source.ok ? source.value : undefined);
    const sourceCommit = inputs.source.ok ? inputs.source.value.commit : null;
    const run: GateRun = {
      decision,
      decisionId,
      dryRun,
      inputDigests,
      exitCode: exitCodeOf(decision, dryRun),
    };
    if (!store.ok) return denyUnrecorded(run, `the store could not be opened: ${store.error}`);
    const artifactId = artifact.ok ? `sha256:${artifact.value.sha256}` : 'unreadable';
    try {
      const appended = await dependencies.append(store.value, {
        type: dryRun ? 'gate.what-if' : 'gate.decided',
        data: {
          decisionId,
          dryRun,
          environment: decision.environment,
          artifact: artifactId,
          result: decision.result,
          at: decision.at,
          deployer: decision.deployer,
          deployerProof: deployerProofOf(inputs),
          sourceCommit,
          change: options.change ?? null,
          policy: decision.policy,
          inputs: inputDigests,
          rules: decision.rules.map((rule) => ({ ...rule })),
          overrides: decision.overrides.map((override) => ({ ...override })),
        },
      });
      run.ledgerIndex = appended.firstIndex;
      // A what-if is not a decision: no decision row, so nothing reads it as a deployment.
      if (!dryRun) {
        await saveDecisionRow(store.value, {
          id: decisionId,
          environment: decision.environment,
          artifact: artifactId,
          result: decision.result,
          decidedAt: decision.at,
          ledgerIndex: appended.firstIndex,
          document: { ...decision, sourceCommit, inputs: inputDigests },
        });
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return denyUnrecorded(run, `the decision could not be written to the ledger: ${text.slice(0, 300)}`);
    }
    return run;
  } finally {
    if (store.ok) await store.value.close().catch(() => {});
  }
}

/**
 * An allow uses the change's approval up (ledgered as `change.consumed` before the decision): one
 * approval, one deployment. A change that does not approve this deployment is left as it is. When a concurrent decision consumed it first, or it cannot be
 * consumed, this decision is a deny.
 */
async function useApproval(
  store: Store,
  decision: GateDecision,
  inputs: GateInputs,
  decisionId: string,
): Promise<GateDecision> {
  const change = inputs.change.ok ? inputs.change.value : undefined;
  // Only an approval of this deployment (environment, commit, artefact) is used up by it.
  if (decision.result !== 'allow' || change?.record === undefined || !change.approved) return decision;
  const refuse = (outcome: 'fail' | 'error', reason: string): GateDecision => ({
    ...decision,
    result: 'deny',
    rules: decision.rules.map((rule) => (rule.id === 'change' ? { ...rule, outcome, reason } : rule)),
  });
  try {
    const used = await consumeApproval(store, change.record, {
      decision: decisionId,
      environment: decision.environment,
      at: inputs.at,
      ...(inputs.source.ok ? { commit: inputs.source.value.commit } : {}),
      artifact: `sha256:${inputs.artifact.sha256}`,
    });
    if (used.consumed) return decision;
    return refuse('fail', `change ${change.id}'s approval was used by a concurrent decision first`);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return refuse('error', `change ${change.id}'s approval could not be used up: ${text.slice(0, 300)}`);
  }
}

/** The principal and the signed statement (or token) that proved who deploys, for the ledger. */
function deployerProofOf(inputs: GateInputs): Record<string, unknown> | null {
  if (!inputs.deployerPrincipal.ok) return { error: inputs.deployerPrincipal.error };
  const proved = inputs.deployerPrincipal.value;
  if (proved === undefined) return null;
  return {
    principal: proved.principal.id,
    name: proved.principal.name,
    statement: proved.statement,
    proof: proved.proof,
  };
}

function inputsWithoutPolicy(
  options: GateRunOptions,
  policy: Fact<unknown> & { ok: false },
  sha256: string,
): GateInputs {
  const why = 'no protected policy';
  return {
    environment: { name: options.environment, settings: GateEnvironment.parse({}) },
    changeSettings: ChangeSettings.parse({}),
    at: options.whatIf?.at ?? options.now,
    deployer: options.deployer,
    deployerPrincipal: notGathered(why),
    artifact: { sha256 },
    policy,
    provenance: notGathered(why),
    source: notGathered(why),
    secrets: notGathered(why),
    vulnerabilities: notGathered(why),
    sbom: notGathered(why),
    assessment: notGathered(why),
    change: notGathered(why),
    calendar: notGathered(why),
  };
}

function denyUnrecorded(run: GateRun, reason: string): GateRun {
  return { ...run, decision: { ...run.decision, result: 'deny' }, ledgerError: reason, exitCode: 3 };
}

export function exitCodeOf(decision: GateDecision, dryRun: boolean): GateExitCode {
  if (decision.rules.some((rule) => rule.outcome === 'error')) return 3;
  if (decision.result === 'allow') return dryRun ? 4 : 0;
  return 1;
}

function digestInputs(inputs: GateInputs, source: PolicySource | undefined): Record<string, string> {
  const digest = (value: unknown) =>
    `sha256:${createHash('sha256')
      .update(canonicalBytes(JSON.parse(JSON.stringify(value ?? null))))
      .digest('hex')}`;
  return {
    artifact: `sha256:${inputs.artifact.sha256}`,
    provenance: digest(inputs.provenance),
    source: digest(inputs.source),
    secrets: digest(inputs.secrets),
    vulnerabilities: digest(inputs.vulnerabilities),
    sbom: digest(inputs.sbom),
    assessment: digest(inputs.assessment),
    change: digest(inputs.change),
    deployer: digest(inputs.deployerPrincipal),
    calendar: digest(inputs.calendar),
    environment: digest(inputs.environment),
    policy: digest(source?.loaded.policy ?? null),
  };
}
