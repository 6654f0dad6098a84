import {
  datasetAge,
  endOfLifeDataset,
  type Milestone,
  milestoneStatus,
  supportStatus,
} from '../../end-of-life/index.js';
import type { Evidence, Finding } from '../../kernel/index.js';
import { type DeclaredRuntime, declarationSources, type RuntimeVersionsFacts } from '../../runtimes/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';

/** Evidence lists at most this many declarations; summaries count them all. */
const evidencedRuntimes = 20;

function describe(runtime: DeclaredRuntime): string {
  const title = endOfLifeDataset.products[runtime.product]?.title ?? runtime.product;
  return `${title} ${runtime.cycle ?? runtime.declared}`;
}

/** `on 2026-04-30`, or that the source gives no day. */
function onDay(milestone: Milestone | undefined): string {
  return typeof milestone === 'string' ? `on ${milestone}` : '(the day is not published)';
}

/** Paid or LTS support that runs on after the end of life, worth naming in a finding. */
function extendedSupport(runtime: DeclaredRuntime, now: Date): string {
  const extended = runtime.support?.eoes;
  if (typeof extended !== 'string' || milestoneStatus(extended, now, 0) === 'end-of-life') return '';
  return `; extended support (such as LTS or paid) runs until ${extended}`;
}

function runtimeEvidence(runtime: DeclaredRuntime, note?: string): Evidence {
  return {
    kind: 'file',
    path: runtime.path,
    line: runtime.line,
    note: note ?? `${runtime.source}: ${runtime.declared}`,
  };
}

function hasProject(facts: RuntimeVersionsFacts): boolean {
  return facts.manifests.length > 0 || facts.dockerfiles.length > 0;
}

function nothingToRun(): Evidence[] {
  return [
    {
      kind: 'absence',
      lookedFor: ['dependency manifests (package.json, pyproject.toml, go.mod, …)', 'Dockerfile'],
      in: 'working tree',
    },
  ];
}

export const runtimeVersionsDeclared: Check<RuntimeVersionsFacts> = {
  id: 'runtime-versions/declared',
  title: 'The runtime versions the project runs on are declared',
  severity: 'medium',
  remediation:
    'Declare the runtime version where your tools read it: .nvmrc or package.json engines, .python-version or requires-python, the go directive in go.mod, a tagged image in the Dockerfile, …',
  evaluate(facts) {
    // Services' images (a database in compose) are judged for support, but declare no runtime of
    // the project; nor does a CI test matrix, which names what the project is tested on.
    const readable = facts.runtimes.filter(
      (runtime) => runtime.cycle !== undefined && !runtime.service && !runtime.testedOnly,
    );
    if (readable.length > 0) {
      const products = [...new Set(readable.map((runtime) => runtime.product))].join(', ');
      return passed(
        this.id,
        `${readable.length} runtime version declarations (${products})`,
        readable.slice(0, evidencedRuntimes).map((runtime) => runtimeEvidence(runtime)),
      );
    }
    if (!hasProject(facts)) {
      return notApplicable(
        this.id,
        'no dependency manifest or Dockerfile, so no runtime to declare',
        nothingToRun(),
      );
    }
    const unreadable = facts.runtimes
      .slice(0, evidencedRuntimes)
      .map((runtime) =>
        runtimeEvidence(runtime, `${runtime.source}: ${runtime.declared} (no version can be read)`),
      );
    const first = facts.manifests[0] ?? facts.dockerfiles[0];
    return failed(
      this.id,
      `no runtime version is declared for ${[...facts.manifests, ...facts.dockerfiles].slice(0, 3).join(', ')}`,
      [
        {
          kind: 'absence',
          lookedFor: [...declarationSources],
          in: 'working tree',
          note: `manifests: ${[...facts.manifests, ...facts.dockerfiles].slice(0, 10).join(', ')}`,
        },
        ...unreadable,
      ],
      [
        findingOf(this, 'No runtime version is declared, so nobody can tell whether it is still supported.', {
          ...(first ? { location: { path: first } } : {}),
          key: 'none-declared',
        }),
      ],
    );
  },
};

export const runtimeVersionsSupported: Check<RuntimeVersionsFacts> = {
  id: 'runtime-versions/supported',
  title: 'Declared runtimes and base images are still supported',
  severity: 'high',
  remediation:
    'Move to a supported release of the runtime or base image and update every place that declares it (version files, manifests, Dockerfiles, CI).',
  evaluate(facts, policy, context) {
    const age = datasetAge(context.now, facts.dataset);
    const maxAge = policy.thresholds.endOfLifeDatasetMaxAgeDays;
    if (age > maxAge) {
      return unknown(
        this.id,
        `the end-of-life dataset (as of ${facts.dataset.asOf}) is ${age} days old, more than ${maxAge}`,
        'Update shipguard to refresh the dataset.',
      );
    }
    // A CI test matrix names what a library supports: an ended release there is information.
    const tested = facts.runtimes.filter((runtime) => runtime.support !== undefined && runtime.testedOnly);
    const testedEnded = tested.filter(
      (runtime) => supportStatus(runtime.support, context.now, 0) === 'end-of-life',
    );
    const testedNote =
      tested.length > 0
        ? `; ${tested.length} CI test runtime(s) not judged (${testedEnded.length} past end of life, shown as information)`
        : '';
    const testedFindings = testedEnded.slice(0, evidencedRuntimes).map((runtime) =>
      findingOf(
        this,
        `${describe(runtime)}, past end of life ${onDay(runtime.support?.eol)}, is still tested in CI (${runtime.source}); a test matrix says what is supported, not what runs in production.`,
        {
          location: { path: runtime.path, line: runtime.line },
          key: `tested:${runtime.product}@${runtime.cycle ?? runtime.declared}`,
          severity: 'info',
          remediation: 'Drop the release from the test matrix once the project stops supporting it.',
        },
      ),
    );
    const known = facts.runtimes.filter((runtime) => runtime.support !== undefined && !runtime.testedOnly);
    if (known.length === 0 && tested.length > 0) {
      const result = unknown(
        this.id,
        `only CI test runtimes are declared${testedNote}: what the project runs on is not`,
        'Declare the runtime the project is deployed on where tools read it: .nvmrc or package.json engines, .python-version, go.mod, a tagged Dockerfile image.',
      );
      return { ...result, findings: testedFindings };
    }
    if (known.length === 0) {
      if (!hasProject(facts) && facts.runtimes.length === 0) {
        return notApplicable(
          this.id,
          'no dependency manifest or Dockerfile, so no runtime to judge',
          nothingToRun(),
        );
      }
      const readable = facts.runtimes.some((runtime) => runtime.cycle !== undefined);
      return unknown(
        this.id,
        readable
          ? 'no declared runtime version is in the end-of-life dataset'
          : 'no runtime version is declared in a form that can be read',
        readable
          ? 'Update shipguard: its end-of-life dataset does not know these versions yet.'
          : 'Declare runtime versions with a number (.nvmrc, .python-version, go.mod, a tagged Dockerfile image, …).',
      );
    }
    const warningDays = policy.thresholds.endOfLifeWarningDays;
    const datasetEvidence: Evidence = {
      kind: 'record',
      source: 'shipguard end-of-life dataset',
      note: `as of ${facts.dataset.asOf}`,
    };
    const ended: Finding[] = [];
    const ending: Finding[] = [];
    const endedEvidence: Evidence[] = [];
    for (const runtime of known) {
      const eol = runtime.support?.eol;
      const status = supportStatus(runtime.support, context.now, warningDays);
      const options = {
        location: { path: runtime.path, line: runtime.line },
        key: `${runtime.product}@${runtime.cycle ?? runtime.declared}`,
      };
      if (status === 'end-of-life') {
        ended.push(
          findingOf(
            this,
            `${describe(runtime)} reached end of life ${onDay(eol)} (declared as ${runtime.declared} by ${runtime.source})${extendedSupport(runtime, context.now)}.`,
            options,
          ),
        );
        endedEvidence.push(runtimeEvidence(runtime, `${describe(runtime)}: end of life ${onDay(eol)}`));
      } else if (status === 'ending-soon') {
        ending.push(
          findingOf(
            this,
            `${describe(runtime)} reaches end of life ${onDay(eol)} (declared as ${runtime.declared} by ${runtime.source}).`,
            {
              ...options,
              severity: 'low',
              remediation: 'Plan the move to a newer supported release before the end-of-life date.',
            },
          ),
        );
      }
    }
    const unknownCount = facts.runtimes.length - known.length - tested.length;
    const unknownNote = `${unknownCount > 0 ? `; ${unknownCount} declarations not in the dataset` : ''}${testedNote}`;
    if (ended.length > 0) {
      return failed(
        this.id,
        `${ended.length} of ${known.length} declared runtimes are past end of life${unknownNote}`,
        [...endedEvidence.slice(0, evidencedRuntimes), datasetEvidence],
        [...ended, ...ending, ...testedFindings],
      );
    }
    const result = passed(
      this.id,
      `${known.length} declared runtimes are supported${ending.length > 0 ? `, ${ending.length} ending within ${warningDays} days` : ''}${unknownNote}`,
      [
        ...known
          .slice(0, evidencedRuntimes)
          .map((runtime) =>
            runtimeEvidence(
              runtime,
              `${describe(runtime)}: supported until ${runtime.support?.eol ?? 'no date set'}`,
            ),
          ),
        datasetEvidence,
      ],
    );
    return { ...result, findings: [...ending, ...testedFindings] };
  },
};
