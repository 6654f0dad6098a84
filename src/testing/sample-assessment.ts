import type {
  Assessment,
  AssessmentProblem,
  CheckResult,
  ControlResult,
  Evidence,
  Finding,
  StatusCounts,
} from '../kernel/index.js';

/**
 * Builders of realistic assessments for tests: a mix of statuses and areas, findings with and
 * without a location, an exception, problems. Plain data, fixed clock, no I/O.
 */

/** A finding with believable defaults and no location; override what the test is about. */
export function sampleFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    checkId: 'security-policy/contact',
    severity: 'low',
    message: 'The security policy names no contact for reports.',
    remediation: 'Name an e-mail address or an https reporting form in the security policy.',
    fingerprint: 'a3f1c2d4e5b60718293a4b5c6d7e8f90',
    ...overrides,
  };
}

/**
 * A control result whose checks agree with its status and findings: one check per distinct
 * check id among the findings (or one named `checkId` when there are none).
 */
export function sampleControl(
  overrides: Partial<ControlResult> & Pick<ControlResult, 'controlId' | 'status'>,
  checkId = 'security-policy/present',
): ControlResult {
  const findings = overrides.findings ?? [];
  const evidence = overrides.evidence ?? [];
  const control: ControlResult = {
    title: `Control ${overrides.controlId}`,
    area: 'governance',
    severity: 'medium',
    summary: `${overrides.controlId} is ${overrides.status}`,
    evidence,
    findings,
    checks: checksFor(overrides.status, findings, evidence, checkId, overrides.howToProvide),
    ...overrides,
  };
  return control;
}

function checksFor(
  status: ControlResult['status'],
  findings: Finding[],
  evidence: Evidence[],
  checkId: string,
  howToProvide: string | undefined,
): CheckResult[] {
  const checkStatus = status === 'partial' ? 'fail' : status;
  const ids = [...new Set(findings.map((finding) => finding.checkId))];
  if (ids.length === 0) ids.push(checkId);
  return ids.map((id) => {
    const own = findings.filter((finding) => finding.checkId === id);
    const check: CheckResult = {
      checkId: id,
      status: checkStatus,
      summary: own.length > 0 ? `${own.length} finding(s)` : `${id}: ${checkStatus}`,
      evidence,
      findings: own,
    };
    if (howToProvide !== undefined) check.howToProvide = howToProvide;
    return check;
  });
}

export function countSampleStatuses(controls: readonly ControlResult[]): StatusCounts {
  const counts: StatusCounts = { fail: 0, partial: 0, unknown: 0, pass: 0, 'not-applicable': 0 };
  for (const control of controls) counts[control.status] += 1;
  return counts;
}

/** An assessment of `controls`, its summary counted from them. */
export function buildAssessment(
  controls: ControlResult[],
  overrides: Partial<Omit<Assessment, 'controls' | 'summary'>> = {},
): Assessment {
  return {
    schemaVersion: 1,
    tool: { name: 'shipguard', version: '0.1.0' },
    id: '01J0SAMPLE0ASSESSMENT00001',
    startedAt: '2026-06-01T10:00:00.000Z',
    finishedAt: '2026-06-01T10:00:02.350Z',
    subject: {
      path: '.',
      isGitRepository: true,
      commit: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      branch: 'main',
      shallow: false,
      dirty: false,
    },
    catalogVersion: '2026.1',
    policyPath: 'shipguard.yaml',
    problems: [],
    ...overrides,
    summary: countSampleStatuses(controls),
    controls,
  };
}

const sampleProblems: AssessmentProblem[] = [
  {
    severity: 'error',
    code: 'FILE_UNREADABLE',
    message: 'could not read the file: permission denied',
    location: { path: 'deploy/secrets.enc.yaml' },
  },
  {
    severity: 'warning',
    code: 'DATA_STALE',
    message: 'the bundled end-of-life dataset is 212 days old (limit 180); end-of-life checks are unknown',
  },
];

/**
 * Nineteen controls over all twelve areas: 5 fail (one accepted by an exception), 3 partial,
 * 4 unknown, 5 pass, 2 not applicable; findings with full, partial and no location; two problems.
 */
export function sampleAssessment(): Assessment {
  const controls: ControlResult[] = [
    sampleControl({
      controlId: 'GOV-01',
      title: 'The secure development policy is reviewed every year',
      area: 'governance',
      severity: 'medium',
      status: 'pass',
      summary: 'policy review recorded on 2026-03-02 by the CTO',
      evidence: [{ kind: 'record', source: 'shipguard.yaml', line: 41, note: 'policy-review 2026-03-02' }],
    }),
    sampleControl(
      {
        controlId: 'GOV-02',
        title: 'Vulnerability reporters have a private channel',
        area: 'governance',
        severity: 'high',
        status: 'fail',
        summary: 'SECURITY.md names no e-mail address or https URL',
        evidence: [{ kind: 'file', path: 'SECURITY.md' }],
        findings: [sampleFinding({ location: { path: 'SECURITY.md' } })],
        remediation: 'Name an e-mail address or an https reporting form in the security policy.',
      },
      'security-policy/contact',
    ),
    sampleControl({
      controlId: 'AWR-01',
      title: 'Developers complete secure-coding training every year',
      area: 'awareness',
      severity: 'medium',
      status: 'unknown',
      summary: 'no training record',
      howToProvide:
        'Add an attestation for AWR-01 to shipguard.yaml (attestations: control, date, by, evidence).',
    }),
    sampleControl({
      controlId: 'REQ-01',
      title: 'Security requirements are agreed for each significant change',
      area: 'requirements',
      severity: 'medium',
      status: 'unknown',
      summary: 'not yet assessed automatically',
      howToProvide:
        'Record change requests with their security requirements, or attest REQ-01 in shipguard.yaml.',
    }),
    sampleControl(
      {
        controlId: 'DES-01',
        title: 'A threat model exists and is reviewed after significant change',
        area: 'design',
        severity: 'high',
        status: 'partial',
        summary: 'threat model found; last reviewed 420 days ago (cadence 365 days)',
        evidence: [{ kind: 'file', path: 'docs/threat-model.md', line: 1 }],
        findings: [
          sampleFinding({
            checkId: 'threat-model/fresh',
            severity: 'medium',
            message:
              'The threat model was last reviewed on 2025-04-07, 420 days ago; the policy asks for 365.',
            remediation: 'Review docs/threat-model.md with the team and record the review date in it.',
            fingerprint: 'b7e0d1c2a3f4958677869a0b1c2d3e4f',
            location: { path: 'docs/threat-model.md', line: 3 },
          }),
        ],
        remediation: 'Review docs/threat-model.md with the team and record the review date in it.',
      },
      'threat-model/fresh',
    ),
    sampleControl({
      controlId: 'DEV-01',
      title: 'Changes are reviewed by a second person before merge',
      area: 'development',
      severity: 'high',
      status: 'pass',
      summary: '48 of 48 merges in the last 90 days were reviewed',
      evidence: [
        { kind: 'commit', commit: '9fceb02d0ae598e95dc970b74767f19372d61af8', note: 'latest reviewed merge' },
      ],
    }),
    sampleControl(
      {
        controlId: 'DEV-02',
        title: 'Static analysis runs on every change',
        area: 'development',
        severity: 'medium',
        status: 'fail',
        summary: 'no static analysis step in any CI workflow',
        evidence: [
          { kind: 'absence', lookedFor: ['codeql', 'semgrep', 'eslint', 'biome'], in: '.github/workflows' },
        ],
        findings: [
          sampleFinding({
            checkId: 'pipeline/static-analysis',
            severity: 'medium',
            message: 'No static analysis tool runs in CI.',
            remediation: 'Add a linter or a SAST step (for example CodeQL or Semgrep) to the CI workflow.',
            fingerprint: 'c1d2e3f405162738495a6b7c8d9e0f1a',
          }),
        ],
      },
      'pipeline/static-analysis',
    ),
    sampleControl({
      controlId: 'SCM-01',
      title: 'The default branch is protected against direct pushes',
      area: 'source-control',
      severity: 'high',
      status: 'unknown',
      summary: 'branch protection is a forge setting and cannot be read from a clone',
      howToProvide:
        'Attest SCM-01 in shipguard.yaml with a link to the branch-protection settings, or run shipguard with forge access.',
    }),
    sampleControl(
      {
        controlId: 'SCM-02',
        title: 'Every tracked file has a code owner',
        area: 'source-control',
        severity: 'medium',
        status: 'partial',
        summary: 'CODEOWNERS covers 62% of tracked files (threshold 80%)',
        evidence: [{ kind: 'file', path: '.github/CODEOWNERS', line: 1 }],
        findings: [
          sampleFinding({
            checkId: 'codeowners/coverage',
            severity: 'low',
            message: '312 of 820 tracked files have no code owner, e.g. scripts/release.sh.',
            remediation: 'Add CODEOWNERS entries for the uncovered folders, or a catch-all `*` owner.',
            fingerprint: 'd4e5f60718293a4b5c6d7e8f90a1b2c3',
            location: { path: '.github/CODEOWNERS', line: 12 },
          }),
        ],
      },
      'codeowners/coverage',
    ),
    sampleControl({
      controlId: 'SUP-01',
      title: 'Dependencies are pinned by a committed lockfile',
      area: 'supply-chain',
      severity: 'high',
      status: 'pass',
      summary: 'package-lock.json is committed and matches package.json',
      evidence: [{ kind: 'file', path: 'package-lock.json', line: 1 }],
    }),
    sampleControl(
      {
        controlId: 'SUP-02',
        title: 'No dependency has a known vulnerability',
        area: 'supply-chain',
        severity: 'critical',
        status: 'fail',
        summary: '2 vulnerable packages',
        evidence: [{ kind: 'file', path: 'package-lock.json' }],
        findings: [
          sampleFinding({
            checkId: 'dependencies/known-vulnerabilities',
            severity: 'critical',
            message:
              'lodash 4.17.15 is affected by GHSA-p6mc-m468-83gw (prototype pollution); fixed in 4.17.19.',
            remediation: 'Upgrade the affected packages to a fixed version and commit the lockfile.',
            fingerprint: 'e5f60718293a4b5c6d7e8f90a1b2c3d4',
            location: { path: 'package-lock.json', line: 812, column: 5 },
          }),
          sampleFinding({
            checkId: 'dependencies/known-vulnerabilities',
            severity: 'medium',
            message: 'semver 7.5.1 is affected by GHSA-c2qf-rxjj-qqgw (ReDoS); fixed in 7.5.2.',
            remediation: 'Upgrade the affected packages to a fixed version and commit the lockfile.',
            fingerprint: 'f60718293a4b5c6d7e8f90a1b2c3d4e5',
            location: { path: 'package-lock.json', line: 1490, column: 5 },
          }),
        ],
        remediation: 'Upgrade the affected packages to a fixed version and commit the lockfile.',
      },
      'dependencies/known-vulnerabilities',
    ),
    sampleControl(
      {
        controlId: 'SUP-03',
        title: 'Runtimes and frameworks are supported (not end of life)',
        area: 'supply-chain',
        severity: 'high',
        status: 'fail',
        summary: 'Node.js 18 reached end of life on 2025-04-30',
        evidence: [{ kind: 'file', path: '.nvmrc', line: 1 }],
        findings: [
          sampleFinding({
            checkId: 'runtime/end-of-life',
            severity: 'high',
            message: 'Node.js 18 is end of life since 2025-04-30.',
            remediation: 'Move to a supported Node.js LTS release.',
            fingerprint: '0718293a4b5c6d7e8f90a1b2c3d4e5f6',
            location: { path: '.nvmrc', line: 1 },
          }),
        ],
        remediation: 'Move to a supported Node.js LTS release.',
        exception: {
          reason: 'The upgrade ships with the platform migration planned for Q4.',
          owner: 'alice@example.com',
          approver: 'cto@example.com',
          expires: '2027-01-31',
        },
      },
      'runtime/end-of-life',
    ),
    sampleControl(
      {
        controlId: 'SEC-01',
        title: 'No secrets are committed to the repository or its history',
        area: 'secrets',
        severity: 'critical',
        status: 'fail',
        summary: '1 secret found in history',
        evidence: [
          { kind: 'commit', commit: '2c26b46b68ffc68ff99b453c1d30413413422d70', path: 'config/settings.py' },
        ],
        findings: [
          sampleFinding({
            checkId: 'secrets/history',
            severity: 'critical',
            message: 'An AWS access key id (AKIA…3f2a, sha256 9c1e…) was committed in 2c26b46.',
            remediation:
              'Revoke the credential now, then remove it from history or accept that it is burnt; load secrets from the environment.',
            fingerprint: '18293a4b5c6d7e8f90a1b2c3d4e5f607',
            location: { path: 'config/settings.py', line: 42, column: 17 },
          }),
        ],
      },
      'secrets/history',
    ),
    sampleControl({
      controlId: 'PIP-01',
      title: 'CI runs the tests on every change',
      area: 'pipeline',
      severity: 'high',
      status: 'pass',
      summary: '.github/workflows/ci.yml runs `npm test` on push and pull_request',
      evidence: [{ kind: 'file', path: '.github/workflows/ci.yml', line: 23 }],
    }),
    sampleControl(
      {
        controlId: 'PIP-02',
        title: 'Third-party CI actions are pinned to a commit',
        area: 'pipeline',
        severity: 'medium',
        status: 'partial',
        summary: '5 of 7 actions pinned to a commit',
        evidence: [{ kind: 'file', path: '.github/workflows/release.yml' }],
        findings: [
          sampleFinding({
            checkId: 'workflows/pinned-actions',
            severity: 'medium',
            message: 'actions/setup-node@v4 is pinned to a tag, not a commit.',
            remediation: 'Pin each third-party action to a full commit SHA and let a bot update it.',
            fingerprint: '293a4b5c6d7e8f90a1b2c3d4e5f60718',
            location: { path: '.github/workflows/release.yml', line: 31, column: 15 },
          }),
          sampleFinding({
            checkId: 'workflows/pinned-actions',
            severity: 'medium',
            message: 'docker/login-action@v3 is pinned to a tag, not a commit.',
            remediation: 'Pin each third-party action to a full commit SHA and let a bot update it.',
            fingerprint: '3a4b5c6d7e8f90a1b2c3d4e5f6071829',
            location: { path: '.github/workflows/release.yml', line: 44, column: 15 },
          }),
        ],
        remediation: 'Pin each third-party action to a full commit SHA and let a bot update it.',
      },
      'workflows/pinned-actions',
    ),
    sampleControl({
      controlId: 'TST-01',
      title: 'Security testing is done before each major release',
      area: 'testing',
      severity: 'medium',
      status: 'unknown',
      summary: 'no pen-test record',
      howToProvide:
        'Attest TST-01 in shipguard.yaml with the date and report reference of the last pen test.',
    }),
    sampleControl({
      controlId: 'DEP-01',
      title: 'Production deployments are frozen before weekends and holidays',
      area: 'deployment',
      severity: 'low',
      status: 'not-applicable',
      summary: 'not applicable: this repository is a library and is never deployed',
      evidence: [{ kind: 'record', source: 'shipguard.yaml', line: 12, note: 'marked not applicable' }],
    }),
    sampleControl({
      controlId: 'DEP-02',
      title: 'Build provenance is signed',
      area: 'deployment',
      severity: 'high',
      status: 'pass',
      summary: 'release artefacts carry SLSA provenance signed in CI',
      evidence: [
        {
          kind: 'digest',
          algorithm: 'sha256',
          value: '5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
          subject: 'dist/shipguard-0.1.0.tgz',
        },
      ],
    }),
    sampleControl({
      controlId: 'OUT-01',
      title: 'Suppliers of outsourced development are assessed',
      area: 'outsourcing',
      severity: 'low',
      status: 'not-applicable',
      summary: 'not applicable: no development is outsourced',
      evidence: [{ kind: 'record', source: 'shipguard.yaml', line: 15, note: 'marked not applicable' }],
    }),
  ];
  return buildAssessment(controls, { problems: sampleProblems.map((problem) => ({ ...problem })) });
}

/** A path that is also an HTML payload; reports must show it as text. */
export const hostilePath = '<img src=x onerror=alert(1)>.md';

/**
 * The sample with user-controlled strings that attack each format: HTML, Markdown pipes and
 * links, a terminal escape sequence, newlines. A report must show them as inert text.
 */
export function hostileAssessment(): Assessment {
  const assessment = sampleAssessment();
  const escapeCharacter = String.fromCharCode(27);
  const hostile = sampleControl(
    {
      controlId: 'DEV-09',
      title: 'Title with </script><script>alert(1)</script> | pipe',
      area: 'development',
      severity: 'high',
      status: 'fail',
      summary: `summary | with *stars* and\nnewline ${escapeCharacter}[2J cleared`,
      evidence: [{ kind: 'file', path: hostilePath, line: 7 }],
      findings: [
        sampleFinding({
          checkId: 'docs/hostile',
          severity: 'high',
          message: `Found [a link](javascript:alert(1)) | in ${escapeCharacter}]8;;https://evil.invalid${escapeCharacter}\\text`,
          remediation: '# not a heading\n1. not a list & <b>not bold</b>',
          fingerprint: '4b5c6d7e8f90a1b2c3d4e5f60718293a',
          location: { path: hostilePath, line: 7, column: 2 },
        }),
      ],
      remediation: '# not a heading\n1. not a list & <b>not bold</b>',
    },
    'docs/hostile',
  );
  const controls = [...assessment.controls, hostile];
  return buildAssessment(controls, {
    subject: { ...assessment.subject, path: `repo "<b>x</b>" | ${escapeCharacter}[31m` },
    problems: [
      ...assessment.problems,
      {
        severity: 'error',
        code: 'FILE_UNREADABLE',
        message: 'could not read',
        location: { path: hostilePath },
      },
    ],
  });
}
