import type { CheckResult, Evidence, Finding } from '../../kernel/index.js';
import {
  describePipeline,
  evaluatePipelineRules,
  type GateEvidence,
  loadedSystems,
  locationsOf,
  pipelineRules,
  type RuleFinding,
  type RuleGroup,
  scanKinds,
} from '../../pipelines/index.js';
import type { Policy } from '../../policy/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { PipelinesFacts } from './collect.js';

function ruleFindings(facts: PipelinesFacts, policy: Policy, group: RuleGroup): RuleFinding[] {
  const ids = new Set(pipelineRules.filter((rule) => rule.group === group).map((rule) => rule.id));
  return evaluatePipelineRules(facts.set, {
    trustedActionOwners: policy.pipelines.trustedActionOwners,
  }).filter((finding) => ids.has(finding.ruleId));
}

function toFinding(check: Check<PipelinesFacts>, finding: RuleFinding): Finding {
  const { path, line, column } = finding.position;
  return findingOf(check, `[${finding.ruleId}] ${finding.message} (confidence ${finding.confidence})`, {
    location: { path, line, column },
    key: `${finding.ruleId}\0${finding.key}`,
    severity: finding.severity,
    remediation: finding.remediation,
  });
}

function fileEvidence(facts: PipelinesFacts, note: string): Evidence[] {
  return facts.set.files.map((path) => ({ kind: 'file' as const, path, note }));
}

const pipelineLocations = locationsOf(loadedSystems);

/** A rule-group check: fail with the rules' findings, pass with the files read as evidence. */
function ruleGroupCheck(
  check: Check<PipelinesFacts>,
  facts: PipelinesFacts,
  policy: Policy,
  group: RuleGroup,
  applies: boolean,
  what: string,
): CheckResult {
  if (!applies) {
    return notApplicable(check.id, `no ${what} found`, [
      { kind: 'absence', lookedFor: pipelineLocations, in: 'working tree' },
    ]);
  }
  const findings = ruleFindings(facts, policy, group);
  const unreadable = facts.set.errors.length;
  if (findings.length > 0) {
    return failed(
      check.id,
      `${findings.length} finding(s) in ${facts.set.files.length} pipeline file(s)`,
      findings.slice(0, 20).map((finding) => ({ kind: 'file', ...finding.position, note: finding.ruleId })),
      findings.map((finding) => toFinding(check, finding)),
    );
  }
  if (unreadable > 0) {
    return unknown(
      check.id,
      `${unreadable} pipeline file(s) could not be parsed, so they could not be checked`,
      'Fix the YAML errors listed in the problems of this report and run the assessment again.',
    );
  }
  return passed(
    check.id,
    `no findings in ${facts.set.files.length} pipeline file(s)`,
    fileEvidence(facts, 'checked'),
  );
}

export const noDangerousPatterns: Check<PipelinesFacts> = {
  id: 'pipelines/no-dangerous-patterns',
  title: 'Pipelines have no dangerous patterns (injection, untrusted checkout, leaked or hard-coded secrets)',
  severity: 'high',
  remediation: 'Fix each finding as its remediation says; see docs/pipelines.md for the rules.',
  evaluate(facts, policy) {
    return ruleGroupCheck(
      this,
      facts,
      policy,
      'no-dangerous-patterns',
      facts.set.files.length > 0,
      'pipeline',
    );
  },
};

export const actionsPinned: Check<PipelinesFacts> = {
  id: 'pipelines/actions-pinned',
  title: 'Actions, reusable workflows and images are pinned to commit SHAs and digests',
  severity: 'high',
  remediation:
    'Pin actions to full commit SHAs and images to digests; let Dependabot or Renovate update them.',
  evaluate(facts, policy) {
    return ruleGroupCheck(this, facts, policy, 'actions-pinned', facts.set.files.length > 0, 'pipeline');
  },
};

export const leastPrivilege: Check<PipelinesFacts> = {
  id: 'pipelines/least-privilege',
  title: 'Workflow tokens have the least privilege they need',
  severity: 'medium',
  remediation:
    'Set `permissions: contents: read` at the top of each workflow and grant write scopes per job.',
  evaluate(facts, policy) {
    return ruleGroupCheck(
      this,
      facts,
      policy,
      'least-privilege',
      facts.set.workflows.length > 0,
      'GitHub workflow',
    );
  },
};

function gateFindings(check: Check<PipelinesFacts>, gate: GateEvidence): Finding[] {
  const job = gate.job.job;
  const location = { path: job.position.path, line: job.position.line, column: job.position.column };
  const label = `${job.system} job ${job.name} (${job.pipeline})`;
  const findings: Finding[] = [];
  const target = job.environment ? ` to ${job.environment.name}` : '';
  if (!gate.tests) {
    findings.push(
      findingOf(check, `${label} deploys${target} without depending on a job that runs tests.`, {
        location,
        key: `${job.pipeline}\0${job.id}\0tests`,
        remediation:
          'Make the deploy job need the test job (`needs:`, a later stage, `requires:`), so a failing test stops the deploy.',
      }),
    );
  }
  if (gate.scans.length === 0) {
    findings.push(
      findingOf(check, `${label} deploys${target} without depending on a security scan job.`, {
        location,
        key: `${job.pipeline}\0${job.id}\0scans`,
        severity: 'medium',
        remediation: 'Make the deploy job need the SAST, dependency and secret scanning jobs.',
      }),
    );
  }
  if (gate.job.production && !gate.approval) {
    findings.push(
      findingOf(check, `${label} deploys to production with no approval gate (environment or manual job).`, {
        location,
        key: `${job.pipeline}\0${job.id}\0approval`,
        remediation:
          'Deploy through a protected environment with required reviewers (GitHub `environment:`) or a manual job (GitLab `when: manual`).',
      }),
    );
  }
  if (gate.job.production && !gate.refRestriction) {
    findings.push(
      findingOf(check, `${label} deploys to production from any branch.`, {
        location,
        key: `${job.pipeline}\0${job.id}\0ref`,
        severity: 'medium',
        remediation:
          "Restrict production deploys to the protected default branch or release tags (`if: github.ref == 'refs/heads/main'`, `on.push.tags`, GitLab `rules:`).",
      }),
    );
  }
  return findings;
}

export const deployGated: Check<PipelinesFacts> = {
  id: 'pipelines/deploy-gated',
  title: 'Deploys wait for tests and scans, and production needs approval from a protected ref',
  severity: 'high',
  remediation:
    'Make deploy jobs depend on test and scan jobs, gate production behind an approval, and deploy only from protected branches or tags.',
  evaluate(facts, policy) {
    const gates = facts.set.pipelines.flatMap(
      (pipeline) => describePipeline(pipeline, policy.pipelines.productionEnvironments).deployGates,
    );
    if (gates.length === 0) {
      return notApplicable(this.id, 'no pipeline job deploys or publishes', [
        {
          kind: 'absence',
          lookedFor: ['deploy or publish jobs', 'jobs with an environment'],
          in: 'pipelines',
        },
      ]);
    }
    const evidence: Evidence[] = gates.map((gate) => ({
      kind: 'file',
      ...gate.job.job.position,
      note: `deploy job ${gate.job.job.name}: tests ${gate.tests ? `in ${gate.tests.job}` : 'none'}, scans ${gate.scans.length}, approval ${gate.approval?.kind ?? 'none'}, ref ${gate.refRestriction?.text ?? 'any'}`,
    }));
    const findings = gates.flatMap((gate) => gateFindings(this, gate));
    if (findings.length > 0)
      return failed(
        this.id,
        `${findings.length} gap(s) in front of ${gates.length} deploy job(s)`,
        evidence,
        findings,
      );
    const forgeSide = gates.filter((gate) => gate.job.production && gate.approval?.kind === 'environment');
    if (forgeSide.length > 0) {
      return {
        ...unknown(
          this.id,
          `production deploys rely on environment protection rules (${forgeSide.map((gate) => gate.job.job.environment?.name ?? '').join(', ')}), which live on the forge and cannot be seen offline`,
          'Confirm that the environment requires reviewers and allows only protected branches (GitHub: Settings → Environments), then record it as an attestation in shipguard.yaml for the deployment control.',
        ),
        evidence,
      };
    }
    return passed(
      this.id,
      `${gates.length} deploy job(s) wait for tests and scans, behind approval and protected refs`,
      evidence,
    );
  },
};

export const deployAdmission: Check<PipelinesFacts> = {
  id: 'pipelines/deploy-admission',
  title: 'Production deploys pass an admission check of provenance and policy first',
  severity: 'high',
  remediation:
    'Run `shipguard gate --artifact … --env production` (or slsa-verifier / cosign verify) in the production deploy job, or in a job it needs, so that only reviewed, traceable artefacts are deployed.',
  evaluate(facts, policy) {
    const production = facts.set.pipelines
      .flatMap((pipeline) => describePipeline(pipeline, policy.pipelines.productionEnvironments).deployGates)
      .filter((gate) => gate.job.production);
    if (production.length === 0) {
      return notApplicable(this.id, 'no pipeline job deploys to production', [
        { kind: 'absence', lookedFor: ['production deploy or publish jobs'], in: 'pipelines' },
      ]);
    }
    const evidence: Evidence[] = production.map((gate) => ({
      kind: 'file',
      ...(gate.admission?.position ?? gate.job.job.position),
      note: `production deploy job ${gate.job.job.name}: admission ${gate.admission ? `${gate.admission.tool} in ${gate.admission.job}` : 'none'}`,
    }));
    const missing = production.filter((gate) => gate.admission === undefined);
    if (missing.length === 0) {
      return passed(
        this.id,
        `${production.length} production deploy job(s) pass an admission check first`,
        evidence,
      );
    }
    const findings = missing.map((gate) =>
      findingOf(
        this,
        `Production deploy job ${gate.job.job.name} runs no admission check (shipguard gate, slsa-verifier, cosign verify) before deploying.`,
        {
          location: gate.job.job.position,
          key: gate.job.job.id,
        },
      ),
    );
    return failed(
      this.id,
      `${missing.length} of ${production.length} production deploy job(s) deploy without an admission check`,
      evidence,
      findings,
    );
  },
};

const requiredScans = [
  { kind: 'sast', label: 'static analysis (SAST)' },
  { kind: 'dependency-scan', label: 'dependency scanning' },
  { kind: 'secret-scan', label: 'secret scanning' },
] as const;

export const securityScans: Check<PipelinesFacts> = {
  id: 'pipelines/security-scans',
  title: 'Pipelines run SAST, dependency and secret scanning',
  severity: 'medium',
  remediation:
    'Add SAST (CodeQL, Semgrep), dependency scanning (OSV-Scanner, npm audit, Dependabot) and secret scanning (gitleaks, shipguard secrets) to CI.',
  evaluate(facts, policy) {
    const activities = facts.set.pipelines.flatMap((pipeline) =>
      describePipeline(pipeline, policy.pipelines.productionEnvironments).jobs.flatMap((job) =>
        job.activities.map((activity) => ({ ...activity, job: job.job })),
      ),
    );
    const evidence: Evidence[] = activities
      .filter(
        (activity) =>
          scanKinds.includes(activity.kind) || activity.kind === 'sbom' || activity.kind === 'provenance',
      )
      .map((activity) => ({
        kind: 'file',
        ...activity.position,
        note: `${activity.kind}: ${activity.tool} (job ${activity.job.name})`,
      }));
    if (facts.dependabotConfig)
      evidence.push({ kind: 'file', path: facts.dependabotConfig, note: 'dependency-scan: Dependabot' });
    const missing = requiredScans.filter(
      (scan) =>
        !activities.some((activity) => activity.kind === scan.kind) &&
        !(scan.kind === 'dependency-scan' && facts.dependabotConfig),
    );
    if (missing.length === 0)
      return passed(this.id, `CI runs ${requiredScans.map((scan) => scan.label).join(', ')}`, evidence);
    if (facts.set.files.length === 0)
      evidence.push({ kind: 'absence', lookedFor: pipelineLocations, in: 'working tree' });
    return failed(
      this.id,
      `CI does not run ${missing.map((scan) => scan.label).join(', ')}`,
      evidence,
      missing.map((scan) => findingOf(this, `No pipeline runs ${scan.label}.`, { key: scan.kind })),
    );
  },
};
