import type { CheckResult, Evidence, Finding } from '../../kernel/index.js';
import {
  type Activity,
  commandLines,
  describePipeline,
  evaluatePipelineRules,
  type GateEvidence,
  loadedSystems,
  locationsOf,
  type PipelineJob,
  pipelineRules,
  type RuleFinding,
  type RuleGroup,
  scanKinds,
  whyNotCredited,
} from '../../pipelines/index.js';
import type { Policy } from '../../policy/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { PipelinesFacts, Releases } from './collect.js';

interface JobActivity extends Activity {
  job: PipelineJob;
}

/**
 * The activities pipelines really perform, and those refused with the reason: a job that never
 * runs on a change, a switched-off or continue-on-error step, an `echo` or `|| true` command.
 * `shipguard assess` counts as dependency scanning only beside an advisory database in the same
 * pipeline (`shipguard advisories sync|import`): without one it matches nothing.
 */
export function creditedActivities(
  facts: PipelinesFacts,
  policy: Policy,
): { credited: JobActivity[]; refused: { activity: JobActivity; reason: string }[] } {
  const credited: JobActivity[] = [];
  const refused: { activity: JobActivity; reason: string }[] = [];
  for (const pipeline of facts.set.pipelines) {
    const jobs = describePipeline(pipeline, policy.pipelines.productionEnvironments).jobs;
    const lines = jobs.flatMap((job) => job.job.commands.flatMap(commandLines));
    const hasAdvisories = lines.some((line) => /\bshipguard advisories (sync|import)\b/.test(line.text));
    for (const job of jobs) {
      for (const found of job.activities) {
        const activity: JobActivity = { ...found, job: job.job };
        const text =
          lines.find(
            (line) =>
              line.position.line === found.position.line && line.position.column === found.position.column,
          )?.text ?? lines.find((line) => line.position.line === found.position.line)?.text;
        let reason = whyNotCredited(facts.set, job.job.path, job.job.id, found.position.line, text);
        if (
          !reason &&
          found.kind === 'dependency-scan' &&
          found.tool === 'shipguard assess' &&
          !hasAdvisories
        ) {
          reason = `shipguard assess in ${job.job.path} has no advisory database to match against (run shipguard advisories sync or import first)`;
        }
        if (reason) refused.push({ activity, reason });
        else credited.push(activity);
      }
    }
  }
  return { credited, refused };
}

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
    const set = facts.set;
    if (set.files.length > 0 && set.errors.length === 0 && !refersToAnything(set)) {
      // Nothing referred to is nothing pinned: no evidence for a control about pinning.
      return notApplicable(this.id, 'the pipelines refer to no action, reusable workflow or image', [
        {
          kind: 'absence',
          lookedFor: ['uses: of steps and jobs', 'container, services and job images'],
          in: `${set.files.length} pipeline file(s)`,
        },
      ]);
    }
    return ruleGroupCheck(this, facts, policy, 'actions-pinned', set.files.length > 0, 'pipeline');
  },
};

/** Whether any job, reusable workflow call or local action names an action or an image. */
function refersToAnything(set: PipelinesFacts['set']): boolean {
  return (
    set.pipelines.some((pipeline) =>
      pipeline.jobs.some((job) => job.uses.length > 0 || job.images.length > 0),
    ) ||
    set.workflows.some((workflow) =>
      workflow.jobs.some(
        (job) => job.uses !== undefined || job.steps.some((step) => step.uses !== undefined),
      ),
    ) ||
    set.actions.some(
      (action) => action.image !== undefined || action.steps.some((step) => step.uses !== undefined),
    )
  );
}

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

/**
 * A repository that releases with no pipeline job that deploys or publishes. A publishable
 * package (npm has no pull-based deployment) is published from someone's machine, past every
 * gate: a gap, not "not applicable". Release tags alone may be deployed by a system shipguard
 * cannot see offline (GitOps): unknown, with what to show.
 */
function releasedOutsidePipelines(check: Check<PipelinesFacts>, releases: Releases): CheckResult {
  const tags = releases.tags > 0 ? `${releases.tags} release tag(s) such as ${releases.example}` : '';
  const what = [releases.publishable, tags].filter(Boolean).join('; ');
  if (releases.publishable) {
    return failed(
      check.id,
      `this repository publishes (${what}) but no pipeline job deploys or publishes: releases are made by hand`,
      [{ kind: 'absence', lookedFor: ['deploy or publish jobs'], in: 'pipelines', note: what }],
      [
        findingOf(
          check,
          `Releases are published by hand (${what}): no pipeline job publishes them, so no test, scan, approval or provenance stands in front of a release.`,
          { key: 'released-by-hand' },
        ),
      ],
    );
  }
  return unknown(
    check.id,
    `this repository releases (${what}) but no pipeline job deploys or publishes: by hand, or by a system that cannot be seen offline`,
    'Publish and deploy from a pipeline in the repository, or record how releases are deployed (an attestation for the deployment control).',
  );
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
      if (facts.releases) return releasedOutsidePipelines(this, facts.releases);
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
    const { credited: activities, refused } = creditedActivities(facts, policy);
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
    // dependabot.yml schedules version updates; Dependabot alerts are a forge setting, unseen offline.
    if (facts.dependabotConfig)
      evidence.push({
        kind: 'file',
        path: facts.dependabotConfig,
        note: 'not counted: Dependabot version updates are not a scan; its alerts are a forge setting',
      });
    for (const { activity, reason } of refused.filter(({ activity }) => scanKinds.includes(activity.kind))) {
      evidence.push({
        kind: 'file',
        ...activity.position,
        note: `not counted: ${activity.kind} ${activity.tool}: ${reason}`,
      });
    }
    const missing = requiredScans.filter(
      (scan) => !activities.some((activity) => activity.kind === scan.kind),
    );
    if (missing.length === 0)
      return passed(this.id, `CI runs ${requiredScans.map((scan) => scan.label).join(', ')}`, evidence);
    if (facts.set.files.length === 0)
      evidence.push({ kind: 'absence', lookedFor: pipelineLocations, in: 'working tree' });
    const refusedNote = (kind: string) => {
      const reasons = refused.filter(({ activity }) => activity.kind === kind).map(({ reason }) => reason);
      return reasons.length === 0 ? '' : ` (not counted: ${[...new Set(reasons)].slice(0, 3).join('; ')})`;
    };
    return failed(
      this.id,
      `CI does not run ${missing.map((scan) => scan.label).join(', ')}`,
      evidence,
      missing.map((scan) =>
        findingOf(this, `No pipeline runs ${scan.label}${refusedNote(scan.kind)}.`, { key: scan.kind }),
      ),
    );
  },
};

export const sbomProduced: Check<PipelinesFacts> = {
  id: 'pipelines/sbom-produced',
  title: 'The pipeline produces a software bill of materials with each build',
  severity: 'medium',
  remediation:
    'Generate the SBOM in the pipeline that builds releases (`shipguard sbom . -o bom.cdx.json`, Syft, cdxgen) and attach it to the release, so each release has the SBOM of what was built.',
  evaluate(facts, policy) {
    const { credited, refused } = creditedActivities(facts, policy);
    const producing = credited.filter((activity) => activity.kind === 'sbom');
    if (producing.length > 0) {
      return passed(
        this.id,
        `SBOM produced in CI by ${[...new Set(producing.map((activity) => activity.tool))].join(', ')}`,
        producing.map((activity) => ({
          kind: 'file',
          ...activity.position,
          note: `sbom: ${activity.tool} (job ${activity.job.name})`,
        })),
      );
    }
    const notCounted = refused.filter(({ activity }) => activity.kind === 'sbom').map(({ reason }) => reason);
    const evidence: Evidence[] =
      facts.set.files.length === 0
        ? [{ kind: 'absence', lookedFor: pipelineLocations, in: 'working tree' }]
        : fileEvidence(facts, 'searched for SBOM generation: none that runs');
    return failed(
      this.id,
      `no pipeline produces an SBOM${notCounted.length > 0 ? ` (not counted: ${notCounted.slice(0, 3).join('; ')})` : ''}`,
      evidence,
      [findingOf(this, 'No pipeline that runs on changes produces an SBOM for the build.')],
    );
  },
};

/** A check that passes when a pipeline that runs on changes really performs one of `kinds`. */
function activityCheck(options: {
  id: string;
  title: string;
  remediation: string;
  kinds: readonly Activity['kind'][];
  label: string;
}): Check<PipelinesFacts> {
  return {
    id: options.id,
    title: options.title,
    severity: 'medium',
    remediation: options.remediation,
    evaluate(facts, policy) {
      const { credited, refused } = creditedActivities(facts, policy);
      const found = credited.filter((activity) => options.kinds.includes(activity.kind));
      if (found.length > 0) {
        return passed(
          this.id,
          `CI runs ${options.label}: ${[...new Set(found.map((activity) => activity.tool))].join(', ')}`,
          found.map((activity) => ({
            kind: 'file',
            ...activity.position,
            note: `${activity.kind}: ${activity.tool} (job ${activity.job.name})`,
          })),
        );
      }
      const reasons = refused
        .filter(({ activity }) => options.kinds.includes(activity.kind))
        .map(({ reason }) => reason);
      const notCounted =
        reasons.length > 0 ? ` (not counted: ${[...new Set(reasons)].slice(0, 3).join('; ')})` : '';
      return failed(
        this.id,
        `no pipeline that runs on changes runs ${options.label}${notCounted}`,
        facts.set.files.length === 0
          ? [{ kind: 'absence', lookedFor: pipelineLocations, in: 'working tree' }]
          : fileEvidence(facts, `searched for ${options.label}: none that runs`),
        [findingOf(this, `No pipeline runs ${options.label}${notCounted}.`, { key: options.id })],
      );
    },
  };
}

export const sastRuns = activityCheck({
  id: 'pipelines/sast',
  title: 'Static analysis for injection and unsafe data handling runs on every change',
  remediation:
    'Run a static analyser with security rules (CodeQL, Semgrep, Bandit, gosec, Brakeman) on every push and pull request, failing on findings.',
  kinds: ['sast'],
  label: 'static analysis (SAST)',
});

export const vulnerabilityScanRuns = activityCheck({
  id: 'pipelines/vulnerability-scan',
  title: 'Known vulnerabilities in components and images are scanned for on every change',
  remediation:
    'Scan dependencies and images for known vulnerabilities in CI (OSV-Scanner, npm audit, Trivy, Grype, or shipguard assess beside shipguard advisories sync).',
  kinds: ['dependency-scan', 'container-scan'],
  label: 'a known-vulnerability scan of dependencies or images',
});

export const provenanceProduced: Check<PipelinesFacts> = {
  id: 'pipelines/provenance-produced',
  title: 'Pipelines that release or deploy artefacts produce signed provenance for them',
  severity: 'high',
  remediation:
    'Sign build provenance in the job that builds the released artefact (`shipguard attest`, actions/attest-build-provenance, the SLSA generator, cosign attest, npm publish --provenance).',
  evaluate(facts, policy) {
    const gates = facts.set.pipelines.flatMap(
      (pipeline) => describePipeline(pipeline, policy.pipelines.productionEnvironments).deployGates,
    );
    if (gates.length === 0) {
      if (facts.releases) return releasedOutsidePipelines(this, facts.releases);
      return notApplicable(this.id, 'no pipeline job deploys or publishes, so no artefact leaves the build', [
        { kind: 'absence', lookedFor: ['deploy or publish jobs'], in: 'pipelines' },
      ]);
    }
    const { credited, refused } = creditedActivities(facts, policy);
    const signing = credited.filter((activity) => activity.kind === 'provenance');
    if (signing.length > 0) {
      return passed(
        this.id,
        `provenance signed in CI by ${[...new Set(signing.map((activity) => activity.tool))].join(', ')} for ${gates.length} deploy or publish job(s)`,
        signing.map((activity) => ({
          kind: 'file',
          ...activity.position,
          note: `provenance: ${activity.tool} (job ${activity.job.name})`,
        })),
      );
    }
    const reasons = refused
      .filter(({ activity }) => activity.kind === 'provenance')
      .map(({ reason }) => reason);
    return failed(
      this.id,
      `${gates.length} job(s) deploy or publish, and no pipeline signs provenance${reasons.length > 0 ? ` (not counted: ${reasons.slice(0, 3).join('; ')})` : ''}`,
      gates.map((gate) => ({
        kind: 'file',
        ...gate.job.job.position,
        note: `deploy job ${gate.job.job.name}`,
      })),
      gates.map((gate) =>
        findingOf(this, `${gate.job.job.name} deploys or publishes an artefact without signed provenance.`, {
          location: gate.job.job.position,
          key: gate.job.job.id,
        }),
      ),
    );
  },
};
