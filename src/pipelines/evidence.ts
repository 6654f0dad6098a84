import { isProductionEnvironment } from '../policy/index.js';
import type { Pipeline, PipelineJob } from './model.js';
import { testCommandOf } from './test-commands.js';
import type { Position, YamlScalar } from './yaml.js';

export const activityKinds = [
  'build',
  'test',
  'lint',
  'sast',
  'dependency-scan',
  'secret-scan',
  'container-scan',
  'iac-scan',
  'sbom',
  'provenance',
  /** Verifies an artefact's provenance or policy before it may be deployed. */
  'admission',
  'deploy',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const scanKinds: readonly ActivityKind[] = [
  'sast',
  'dependency-scan',
  'secret-scan',
  'container-scan',
  'iac-scan',
];

export interface Activity {
  kind: ActivityKind;
  tool: string;
  position: Position;
}

interface Matcher {
  kind: ActivityKind;
  tool: string;
  /** Matched against an action, orb, task or plugin name (lower case, without the ref). */
  uses?: RegExp;
  /** Matched against each command line. */
  command?: { test(line: string): boolean };
}

// Simple anchored word patterns only: commands are hostile input.
const matchers: readonly Matcher[] = [
  {
    kind: 'sast',
    tool: 'CodeQL',
    uses: /^github\/codeql-action\/(init|analyze|autobuild)$/,
    command: /\bcodeql database\b/,
  },
  {
    kind: 'sast',
    tool: 'Semgrep',
    uses: /^(semgrep|returntocorp)\/semgrep-action$/,
    command: /\bsemgrep( ci| scan| --config|\s*$)/,
  },
  {
    kind: 'sast',
    tool: 'ESLint security rules',
    command: /\beslint\b.{0,200}\bsecurity\b|eslint-plugin-security/,
  },
  { kind: 'sast', tool: 'Bandit', uses: /bandit/, command: /\bbandit\b/ },
  { kind: 'sast', tool: 'gosec', uses: /^securego\/gosec$/, command: /\bgosec\b/ },
  { kind: 'sast', tool: 'Brakeman', command: /\bbrakeman\b/ },
  { kind: 'sast', tool: 'SonarQube', uses: /^sonarsource\//, command: /\bsonar-scanner\b/ },
  { kind: 'sast', tool: 'zizmor', uses: /zizmor/, command: /\bzizmor\b/ },
  { kind: 'dependency-scan', tool: 'npm audit', command: /\b(npm|yarn|pnpm) audit\b/ },
  { kind: 'dependency-scan', tool: 'OSV-Scanner', uses: /^google\/osv-scanner/, command: /\bosv-scanner\b/ },
  { kind: 'dependency-scan', tool: 'Snyk', uses: /^snyk\/actions/, command: /\bsnyk (test|monitor)\b/ },
  { kind: 'dependency-scan', tool: 'Trivy', command: /\btrivy (fs|filesystem|repo|repository)\b/ },
  { kind: 'dependency-scan', tool: 'dependency review', uses: /^actions\/dependency-review-action$/ },
  { kind: 'dependency-scan', tool: 'pip-audit', uses: /pip-audit/, command: /\bpip-audit\b/ },
  { kind: 'dependency-scan', tool: 'govulncheck', uses: /govulncheck/, command: /\bgovulncheck\b/ },
  { kind: 'dependency-scan', tool: 'cargo audit', command: /\bcargo (audit|deny)\b/ },
  { kind: 'dependency-scan', tool: 'bundler-audit', command: /\bbundle(r-audit| audit)\b/ },
  {
    kind: 'dependency-scan',
    tool: 'OWASP Dependency-Check',
    uses: /dependency-check/,
    command: /\bdependency-check\b/,
  },
  { kind: 'dependency-scan', tool: 'shipguard assess', command: /\bshipguard assess\b/ },
  { kind: 'secret-scan', tool: 'gitleaks', uses: /^gitleaks\/gitleaks-action$/, command: /\bgitleaks\b/ },
  {
    kind: 'secret-scan',
    tool: 'TruffleHog',
    uses: /^trufflesecurity\/trufflehog$/,
    command: /\btrufflehog\b/,
  },
  { kind: 'secret-scan', tool: 'shipguard secrets', command: /\bshipguard secrets\b/ },
  { kind: 'secret-scan', tool: 'detect-secrets', command: /\bdetect-secrets\b/ },
  { kind: 'secret-scan', tool: 'ggshield', uses: /ggshield/, command: /\bggshield\b/ },
  { kind: 'container-scan', tool: 'Trivy', uses: /^aquasecurity\/trivy-action$/, command: /\btrivy image\b/ },
  { kind: 'container-scan', tool: 'Grype', uses: /^anchore\/scan-action$/, command: /\bgrype\b/ },
  {
    kind: 'container-scan',
    tool: 'Docker Scout',
    uses: /^docker\/scout-action$/,
    command: /\bdocker scout (cves|quickview)\b/,
  },
  { kind: 'iac-scan', tool: 'Checkov', uses: /^bridgecrewio\/checkov-action$/, command: /\bcheckov\b/ },
  { kind: 'iac-scan', tool: 'tfsec', uses: /tfsec/, command: /\btfsec\b/ },
  { kind: 'iac-scan', tool: 'KICS', uses: /^checkmarx\/kics/, command: /\bkics scan\b/ },
  { kind: 'iac-scan', tool: 'Trivy', command: /\btrivy (config|iac)\b/ },
  { kind: 'iac-scan', tool: 'Terrascan', command: /\bterrascan\b/ },
  { kind: 'sbom', tool: 'Syft', uses: /^anchore\/sbom-action$/, command: /\bsyft\b/ },
  { kind: 'sbom', tool: 'cdxgen', command: /\bcdxgen\b/ },
  { kind: 'sbom', tool: 'CycloneDX', uses: /cyclonedx/, command: /\bcyclonedx(-[a-z]+)?\b|@cyclonedx\// },
  { kind: 'sbom', tool: 'npm sbom', command: /\bnpm sbom\b/ },
  { kind: 'provenance', tool: 'SLSA generator', uses: /^slsa-framework\/slsa-github-generator\// },
  {
    kind: 'provenance',
    tool: 'cosign',
    uses: /^sigstore\/cosign-installer$/,
    command: /\bcosign (sign|attest)\b/,
  },
  { kind: 'provenance', tool: 'GitHub attestations', uses: /^actions\/attest(-build-provenance|-sbom)?$/ },
  { kind: 'provenance', tool: 'shipguard attest', command: /\bshipguard attest\b/ },
  { kind: 'provenance', tool: 'npm provenance', command: /\bnpm publish\b.{0,200}--provenance\b/ },
  { kind: 'admission', tool: 'shipguard gate', command: /\bshipguard gate\b/ },
  {
    kind: 'admission',
    tool: 'slsa-verifier',
    command: /\bslsa-verifier verify-(artifact|image|npm-package)\b/,
  },
  { kind: 'admission', tool: 'cosign verify', command: /\bcosign verify(-attestation|-blob-attestation)?\b/ },
  { kind: 'admission', tool: 'GitHub attestations', command: /\bgh attestation verify\b/ },
  {
    kind: 'test',
    tool: 'tests',
    command: { test: (line: string) => testCommandOf(line) !== undefined },
  },
  {
    kind: 'lint',
    tool: 'linters',
    uses: /^golangci\/golangci-lint-action$|^reviewdog\/|^rhysd\/actionlint$/,
    command:
      /\b(eslint|biome (check|lint|ci)|npm run (lint|typecheck)|yarn lint|pnpm lint|flake8|ruff|pylint|mypy|golangci-lint|rubocop|shellcheck|hadolint|cargo clippy|cargo fmt --check|tsc --noEmit|tsc -p|prettier --check|black --check|actionlint|go vet)\b/,
  },
  {
    kind: 'build',
    tool: 'build',
    uses: /^docker\/build-push-action$/,
    command:
      /\b(npm run build|yarn build|pnpm (run )?build|go build|cargo build|mvn (-[^\s]+ )*(package|install)|gradlew? (build|assemble)|docker build|docker buildx build|dotnet (build|publish)|python -m build|make( all)?\s*$|bazel build)\b/,
  },
  {
    kind: 'deploy',
    tool: 'deploy',
    uses: /^(azure\/(webapps-deploy|k8s-deploy|functions-action)|aws-actions\/amazon-ecs-deploy-task-definition|google-github-actions\/deploy-[a-z-]+|actions\/deploy-pages|peaceiris\/actions-gh-pages|jamesives\/github-pages-deploy-action|amondnet\/vercel-action|cloudflare\/wrangler-action|superfly\/flyctl-actions)$/,
    command:
      /\b(kubectl (apply|rollout|set image)|helm (upgrade|install)|terraform apply|tofu apply|aws (s3 sync|ecs update-service|deploy)|gcloud (run|app|functions) deploy|az (webapp|functionapp) deploy|serverless deploy|sls deploy|flyctl deploy|fly deploy|vercel (deploy|--prod)|netlify deploy|firebase deploy|wrangler (deploy|publish)|cap [a-z]+ deploy|ansible-playbook|heroku (container:release|releases)|kamal deploy)\b/,
  },
  {
    kind: 'deploy',
    tool: 'publish',
    uses: /^pypa\/gh-action-pypi-publish$/,
    command:
      /\b(npm publish|yarn publish|pnpm publish|docker push|twine upload|cargo publish|gem push|mvn deploy|gradlew? publish)\b/,
  },
];

const maxCommandLength = 64 * 1024;

function actionName(uses: string): string {
  const at = uses.indexOf('@');
  return (at === -1 ? uses : uses.slice(0, at)).toLowerCase();
}

/** What a job does, from the tools its commands and actions name. */
export function classifyJob(job: PipelineJob): Activity[] {
  const found = new Map<string, Activity>();
  const add = (matcher: Matcher, position: Position) => {
    const key = `${matcher.kind}\0${matcher.tool}`;
    if (!found.has(key)) found.set(key, { kind: matcher.kind, tool: matcher.tool, position });
  };
  for (const uses of job.uses) {
    const name = actionName(uses.text);
    for (const matcher of matchers) if (matcher.uses?.test(name)) add(matcher, uses.position);
  }
  for (const command of job.commands) {
    for (const line of commandLines(command)) {
      for (const matcher of matchers) if (matcher.command?.test(line.text)) add(matcher, line.position);
    }
  }
  if (job.environment && !found.has('deploy\0deploy') && !isNonDeployEnvironment(job)) {
    found.set('deploy\0environment', {
      kind: 'deploy',
      tool: `environment ${job.environment.name}`,
      position: job.environment.position,
    });
  }
  return [...found.values()];
}

/** GitLab environments with `action: stop|prepare|verify|access` do not deploy. */
function isNonDeployEnvironment(job: PipelineJob): boolean {
  return job.system === 'circleci';
}

/** The lines of a script, each with its own position (comments dropped). */
export function commandLines(command: YamlScalar): { text: string; position: Position }[] {
  const source =
    command.text.length > maxCommandLength ? command.text.slice(0, maxCommandLength) : command.text;
  const lines: { text: string; position: Position }[] = [];
  const rawLines = command.raw.split('\n');
  const blockOffset = rawLines.length > source.split('\n').length ? 1 : 0;
  for (const [index, line] of source.split('\n').entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lineNumber = command.position.line + index + (index > 0 || blockOffset ? blockOffset : 0);
    const rawLine = rawLines[lineNumber - command.position.line] ?? '';
    const column =
      index === 0 && blockOffset === 0 ? command.position.column : Math.max(1, rawLine.indexOf(trimmed) + 1);
    lines.push({ text: trimmed, position: { path: command.position.path, line: lineNumber, column } });
  }
  return lines;
}

export interface JobEvidence {
  job: PipelineJob;
  activities: Activity[];
  deploys: boolean;
  production: boolean;
}

export interface GateEvidence {
  job: JobEvidence;
  /** Jobs this one waits for, directly or through others (ids within its pipeline). */
  upstream: string[];
  tests?: Activity & { job: string };
  scans: (Activity & { job: string })[];
  /** A provenance or policy check (shipguard gate, slsa-verifier, …) in this job or one it waits for. */
  admission?: Activity & { job: string };
  approval: { kind: 'manual-job' | 'environment'; position: Position } | undefined;
  refRestriction: { text: string; position: Position } | undefined;
}

export interface PipelineEvidence {
  pipeline: Pipeline;
  jobs: JobEvidence[];
  deployGates: GateEvidence[];
}

/** Every job's activities, and for each deploy job the gates in front of it. */
export function describePipeline(
  pipeline: Pipeline,
  productionNames: readonly string[] = [],
): PipelineEvidence {
  const jobs = pipeline.jobs.map((job): JobEvidence => {
    const activities = classifyJob(job);
    const deploys = activities.some((activity) => activity.kind === 'deploy');
    const production = job.environment
      ? isProductionEnvironment(job.environment.name, productionNames)
      : deploys && activities.some((activity) => activity.tool === 'publish' || activity.tool === 'deploy');
    return { job, activities, deploys, production };
  });
  const byId = new Map(jobs.map((job) => [job.job.id, job]));
  const deployGates = jobs
    .filter((job) => job.deploys)
    .map((job): GateEvidence => {
      const upstream = upstreamOf(job.job.id, byId);
      const candidates = [job, ...upstream.flatMap((id) => byId.get(id) ?? [])];
      const scans: (Activity & { job: string })[] = [];
      let tests: (Activity & { job: string }) | undefined;
      let admission: (Activity & { job: string }) | undefined;
      for (const candidate of candidates) {
        for (const activity of candidate.activities) {
          if (activity.kind === 'test' && !tests) tests = { ...activity, job: candidate.job.id };
          if (activity.kind === 'admission' && !admission) admission = { ...activity, job: candidate.job.id };
          if (scanKinds.includes(activity.kind)) scans.push({ ...activity, job: candidate.job.id });
        }
      }
      const approval =
        job.job.manualGate ??
        candidates.find((candidate) => candidate.job.manualGate?.kind === 'manual-job')?.job.manualGate;
      const gate: GateEvidence = { job, upstream, scans, approval, refRestriction: job.job.refRestriction };
      if (tests) gate.tests = tests;
      if (admission) gate.admission = admission;
      return gate;
    });
  return { pipeline, jobs, deployGates };
}

function upstreamOf(id: string, byId: ReadonlyMap<string, JobEvidence>): string[] {
  const seen = new Set<string>();
  const pending = [...(byId.get(id)?.job.needs ?? [])];
  while (pending.length > 0 && seen.size < 10_000) {
    const next = pending.pop() as string;
    if (seen.has(next) || next === id) continue;
    seen.add(next);
    pending.push(...(byId.get(next)?.job.needs ?? []));
  }
  return [...seen].sort();
}
