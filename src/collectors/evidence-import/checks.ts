import type { EvidenceImport, EvidenceKind, EvidenceSummary } from '../../evidence-import/index.js';
import type { CheckResult, Evidence, Finding } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { failed, findingOf, notApplicable, passed, storeUnknown, unknown } from '../results.js';
import type { Check, CheckContext } from '../types.js';
import type { EvidenceImportFacts } from './collect.js';

const dayMs = 24 * 60 * 60 * 1000;

type Present = Extract<EvidenceImportFacts, { status: 'present' }>;
type FindingSummary = Extract<EvidenceSummary, { findings: unknown }>;

/** Why an import does not count for the assessed commit now, or undefined when it does. */
export function weaknessOf(
  item: EvidenceImport,
  head: string | undefined,
  policy: Pick<Policy, 'evidence'>,
  now: Date,
  bound: 'commit' | 'time-only',
): string | undefined {
  const reasons: string[] = [];
  if (bound === 'commit') {
    if (head === undefined) {
      reasons.push(
        'the assessed folder is not a git repository at a commit, and imported evidence is bound to one',
      );
    } else if (!head.startsWith(item.commit)) {
      reasons.push(`it is for commit ${item.commit.slice(0, 12)}, not the assessed ${head.slice(0, 12)}`);
    }
  }
  const maxAgeDays = policy.evidence.importMaxAgeDays;
  const age = now.getTime() - Date.parse(item.ranAt);
  if (Number.isNaN(age)) {
    reasons.push(`its run time ${item.ranAt} cannot be read`);
  } else if (age > maxAgeDays * dayMs) {
    reasons.push(
      `it ran ${Math.floor(age / dayMs)} days ago (${item.ranAt.slice(0, 10)}), older than the policy's ${maxAgeDays} days (evidence.importMaxAgeDays)`,
    );
  } else if (age < -dayMs) {
    reasons.push(`it says it ran in the future (${item.ranAt.slice(0, 10)})`);
  }
  return reasons.length === 0 ? undefined : reasons.join(', and ');
}

interface Selection {
  /** The newest import per (format, tool) that counts for the assessed commit now. */
  current: EvidenceImport[];
  /** The newest imports of these kinds that do not count, with why. */
  weaker: { item: EvidenceImport; reason: string }[];
}

/** Of the imports of some kinds: those that count (newest per tool) and the newest that do not. */
export function selectEvidence(
  facts: Present,
  kinds: readonly EvidenceKind[],
  policy: Pick<Policy, 'evidence'>,
  now: Date,
  bound: 'commit' | 'time-only' = 'commit',
): Selection {
  const current = new Map<string, EvidenceImport>();
  const weaker: Selection['weaker'] = [];
  for (const item of facts.imports) {
    if (!kinds.includes(item.kind)) continue;
    const reason = weaknessOf(item, facts.head, policy, now, bound);
    if (reason !== undefined) {
      if (weaker.length < 3) weaker.push({ item, reason });
      continue;
    }
    const key = `${item.format}\u0000${item.tool}`;
    const known = current.get(key);
    if (
      !known ||
      item.ranAt > known.ranAt ||
      (item.ranAt === known.ranAt && item.importedAt > known.importedAt)
    ) {
      current.set(key, item);
    }
  }
  return { current: [...current.values()], weaker };
}

/** Evidence for one import: the file's digest, what it said, and that someone handed it in. */
export function importEvidenceItem(item: EvidenceImport, note: string): Evidence {
  return {
    kind: 'digest',
    algorithm: 'sha256',
    value: item.sha256,
    subject: item.fileName,
    note: `${note}; ${item.tool} ran ${item.ranAt}${item.ranAtSource === 'import' ? ' (time of import: the file gives none)' : ''} on ${item.commit.slice(0, 12)} (${commitSourceText[item.commitSource]}); imported ${item.importedAt}${item.signedBy === undefined ? ' unsigned' : ` and signed by ${item.signedBy}`}, ledger entry ${item.ledgerIndex}`,
    // The operator handed the file in: shipguard did not run the tool, so it is declared, unless a
    // registered person signed the import (the signature was verified on reading).
    level: item.signedBy === undefined ? 'declared' : 'signed',
  };
}

const commitSourceText: Readonly<Record<EvidenceImport['commitSource'], string>> = {
  file: 'commit named in the file',
  option: 'commit given with --commit',
  head: 'HEAD when imported',
};

const howToImport = (what: string, example: string): string =>
  `Run ${what} on the commit being assessed and record the result with \`shipguard evidence import FILE\` (${example}), into the store the assessment reads (--db, SHIPGUARD_DB, else .shipguard/shipguard.db); see docs/evidence-import.md.`;

function absentOrWeaker(checkId: string, what: string, selection: Selection, how: string): CheckResult {
  if (selection.weaker.length === 0) return unknown(checkId, `no ${what} imported`, how);
  const newest = selection.weaker[0] as Selection['weaker'][number];
  return unknown(
    checkId,
    `no ${what} count for the assessed commit: the newest (${newest.item.fileName}, ${newest.item.tool}) does not count because ${newest.reason}`,
    how,
  );
}

function gate(checkId: string, facts: EvidenceImportFacts, what: string): CheckResult | Present {
  if (facts.status !== 'present') return storeUnknown(checkId, facts, what);
  return facts;
}

export const testsPassed: Check<EvidenceImportFacts> = {
  id: 'evidence-import/tests-passed',
  title: 'Test results for the assessed commit show every test passing',
  severity: 'high',
  remediation: 'Fix the failing tests (or the code they caught) and import the new results.',
  evaluate(facts, policy, context) {
    const present = gate(this.id, facts, 'imported test results');
    if (!('status' in present) || present.status !== 'present') return present as CheckResult;
    const how = howToImport(
      'the tests with a JUnit XML reporter',
      'vitest: --reporter=junit --outputFile.junit=junit.xml; pytest: --junitxml=junit.xml',
    );
    const selection = selectEvidence(present, ['tests'], policy, context.now);
    if (selection.current.length === 0) return absentOrWeaker(this.id, 'test results', selection, how);
    const coverage = selectEvidence(present, ['coverage'], policy, context.now).current;
    const coverageEvidence = coverage.map((item) => importEvidenceItem(item, coverageNote(item.summary)));
    const findings: Finding[] = [];
    let tests = 0;
    let broken = 0;
    let skipped = 0;
    for (const item of selection.current) {
      if (item.summary.kind !== 'tests') continue;
      tests += item.summary.tests;
      skipped += item.summary.skipped;
      const failing = item.summary.failures + item.summary.errors;
      broken += failing;
      if (failing === 0) continue;
      const names = item.summary.failing.length > 0 ? `: ${item.summary.failing.join('; ')}` : '';
      findings.push(
        findingOf(
          this,
          `${item.fileName} (${item.tool}) reports ${item.summary.failures} failed and ${item.summary.errors} errored test(s)${names}.`,
          {
            location: { path: item.fileName },
            key: item.sha256,
          },
        ),
      );
    }
    const evidence = selection.current.map((item) => importEvidenceItem(item, testsNote(item.summary)));
    if (findings.length > 0) {
      return failed(
        this.id,
        `${broken} of ${tests} imported test(s) failed on the assessed commit`,
        evidence,
        findings,
      );
    }
    if (tests === 0) {
      return unknown(this.id, 'the imported test results for the assessed commit contain no test', how);
    }
    if (tests - skipped <= 0) {
      // A report of skipped tests shows that nothing was tested.
      return unknown(
        this.id,
        `none of the ${tests} imported test(s) ran (${skipped} skipped) on the assessed commit`,
        how,
      );
    }
    const coverageText =
      coverage.length > 0 ? `; ${coverage.map((item) => coverageNote(item.summary)).join('; ')}` : '';
    return passed(
      this.id,
      `${tests - skipped} imported test(s) passed on the assessed commit${skipped > 0 ? ` (${skipped} skipped)` : ''} (${selection.current.length} report(s))${coverageText}`,
      [...evidence, ...coverageEvidence],
    );
  },
};

function testsNote(summary: EvidenceSummary): string {
  if (summary.kind !== 'tests') return summary.kind;
  return `JUnit: ${summary.tests} tests, ${summary.failures} failed, ${summary.errors} errored, ${summary.skipped} skipped`;
}

function coverageNote(summary: EvidenceSummary): string {
  if (summary.kind !== 'coverage') return summary.kind;
  const lines =
    summary.linesFound === 0
      ? 'no lines'
      : `${((100 * summary.linesHit) / summary.linesFound).toFixed(1)}% of ${summary.linesFound} lines`;
  return `line coverage ${lines}`;
}

function findingsNote(summary: EvidenceSummary): string {
  if (!('findings' in summary)) return summary.kind;
  const counts = summary.findings;
  const suppressed = summary.suppressed > 0 ? `, ${summary.suppressed} suppressed` : '';
  return `${counts.high} high (SARIF error), ${counts.medium} medium, ${counts.low} low${suppressed}${summary.complete ? '' : '; the tool says its run did not complete'}`;
}

/** Which imported scans a check judges, how it names them, and how they must match the commit. */
interface ScanEvidence {
  kinds: readonly EvidenceKind[];
  what: string;
  /** How to produce and import such a scan, for when there is none. */
  how: string;
  bound: 'commit' | 'time-only';
}

/** A check whose verdict is `judgeScans` over the scans `evidence` names. */
function scanCheck(
  declared: Pick<Check<EvidenceImportFacts>, 'id' | 'title' | 'severity' | 'remediation'>,
  evidence: ScanEvidence,
): Check<EvidenceImportFacts> {
  return {
    ...declared,
    evaluate(facts, policy, context) {
      return judgeScans(this, facts, policy, context, evidence);
    },
  };
}

/**
 * Judges scan results: fail on any high finding (SARIF `error`, ZAP high risk, testssl.sh HIGH or
 * CRITICAL), unknown when a tool says its run did not complete, pass otherwise.
 */
function judgeScans(
  check: Check<EvidenceImportFacts>,
  facts: EvidenceImportFacts,
  policy: Policy,
  context: CheckContext,
  { kinds, what, how, bound }: ScanEvidence,
): CheckResult {
  const present = gate(check.id, facts, what);
  if (!('status' in present) || present.status !== 'present') return present as CheckResult;
  const selection = selectEvidence(present, kinds, policy, context.now, bound);
  if (selection.current.length === 0) return absentOrWeaker(check.id, what, selection, how);
  const evidence = selection.current.map((item) => importEvidenceItem(item, findingsNote(item.summary)));
  const findings: Finding[] = [];
  let high = 0;
  for (const item of selection.current) {
    const summary = item.summary as FindingSummary;
    if (summary.findings.high === 0) continue;
    high += summary.findings.high;
    for (const sample of summary.samples.filter((entry) => entry.severity === 'high')) {
      findings.push(
        findingOf(
          check,
          `${item.tool} reports ${sample.count} high-severity result(s) of ${sample.rule} (${item.fileName}).`,
          {
            location: { path: item.fileName },
            key: `${item.tool}\u0000${sample.rule}`,
          },
        ),
      );
    }
  }
  if (high > 0) {
    return failed(check.id, `${high} high-severity result(s) in the imported ${what}`, evidence, findings);
  }
  const incomplete = selection.current.filter((item) => !(item.summary as FindingSummary).complete);
  if (incomplete.length > 0) {
    return unknown(
      check.id,
      `${incomplete.map((item) => item.tool).join(', ')} say(s) the run did not complete, so a clean result proves nothing`,
      how,
    );
  }
  const medium = selection.current.reduce(
    (sum, item) => sum + (item.summary as FindingSummary).findings.medium,
    0,
  );
  return passed(
    check.id,
    `no high-severity result in the imported ${what} from ${selection.current.map((item) => item.tool).join(', ')}${medium > 0 ? ` (${medium} medium-severity result(s) to triage)` : ''}`,
    evidence,
  );
}

export const sastResults = scanCheck(
  {
    id: 'evidence-import/sast-results',
    title: 'Static analysis of the assessed commit reports no error-level result',
    severity: 'high',
    remediation:
      'Fix the error-level results the static analyser reports (or suppress a false positive in the tool, with its reason) and import the new SARIF.',
  },
  {
    kinds: ['static-analysis'],
    what: 'static-analysis results',
    how: howToImport(
      'a static analyser that writes SARIF 2.1.0',
      'CodeQL: codeql database analyze --format=sarif-latest; Semgrep: semgrep scan --sarif',
    ),
    bound: 'commit',
  },
);

export const hostScan = scanCheck(
  {
    id: 'evidence-import/host-scan',
    title: 'A recent scan of the running service reports no high-risk finding',
    severity: 'high',
    remediation:
      'Fix the high-risk findings of the web or TLS scan (ZAP alerts, testssl.sh HIGH/CRITICAL) and import a new scan.',
  },
  {
    kinds: ['dynamic-scan', 'tls-scan'],
    what: 'scans of the running service',
    how: howToImport(
      'a scan of the deployed service (OWASP ZAP with a JSON report, testssl.sh --jsonfile)',
      'zap-baseline.py -J zap.json; testssl.sh --jsonfile tls.json host:443',
    ),
    // A running service is scanned on a schedule, not per commit: only the age counts here.
    bound: 'time-only',
  },
);

/**
 * PIP-03 says a failing security check blocks the merge or the deployment. Imported results can
 * only show the opposite: a scan of the assessed commit that failed. Clean or absent results say
 * nothing about enforcement (the pipeline checks judge that), so they are not-applicable here.
 */
export const scanFailuresBlocked: Check<EvidenceImportFacts> = {
  id: 'evidence-import/scan-failures',
  title: 'No imported security scan of the assessed commit failed',
  severity: 'high',
  remediation:
    'A security check failed on the commit being assessed: make the pipeline block it (or record an exception for this control) and fix the results.',
  evaluate(facts, policy, context) {
    if (facts.status !== 'present') return notApplicable(this.id, 'no imported scan results to judge');
    const selection = selectEvidence(facts, ['static-analysis'], policy, context.now);
    const failing = selection.current.filter((item) => (item.summary as FindingSummary).findings.high > 0);
    if (failing.length === 0) {
      return notApplicable(
        this.id,
        selection.current.length === 0
          ? 'no static-analysis results imported for the assessed commit'
          : 'the imported static-analysis results of the assessed commit have no error-level result',
      );
    }
    return failed(
      this.id,
      `${failing.map((item) => item.tool).join(', ')} failed on the assessed commit, yet it is what is being assessed`,
      failing.map((item) => importEvidenceItem(item, findingsNote(item.summary))),
      failing.map((item) =>
        findingOf(
          this,
          `${item.tool} reports ${(item.summary as FindingSummary).findings.high} error-level result(s) on the assessed commit (${item.fileName}).`,
          {
            location: { path: item.fileName },
            key: item.sha256,
          },
        ),
      ),
    );
  },
};

/** Weakness classes (CWE ids) by the design control whose requirement they break. */
export const designWeaknesses = [
  {
    name: 'input-validation',
    control: 'DES-03',
    title: 'input validation and output encoding',
    cwes: [
      20, 22, 23, 36, 73, 74, 77, 78, 79, 80, 89, 90, 91, 93, 94, 95, 113, 116, 119, 120, 134, 185, 470, 502,
      601, 611, 643, 776, 917, 918, 943, 1333,
    ],
  },
  {
    name: 'authentication',
    control: 'DES-05',
    title: 'authentication',
    cwes: [287, 288, 290, 294, 306, 307, 521, 522, 620, 640, 798],
  },
  {
    name: 'authorisation',
    control: 'DES-07',
    title: 'authorisation',
    cwes: [269, 284, 285, 425, 639, 732, 862, 863],
  },
  {
    name: 'sessions',
    control: 'DES-09',
    title: 'session handling',
    cwes: [352, 384, 539, 565, 613, 614, 1004, 1275],
  },
  {
    name: 'cryptography',
    control: 'DES-11',
    title: 'cryptography',
    cwes: [295, 297, 310, 311, 319, 326, 327, 328, 329, 330, 331, 338, 757, 759, 760, 916],
  },
  {
    name: 'error-handling',
    control: 'DES-13',
    title: 'error handling and disclosure',
    cwes: [209, 210, 211, 497, 532, 550],
  },
  { name: 'logging', control: 'DES-14', title: 'security logging', cwes: [117, 223, 778, 779] },
  { name: 'file-handling', control: 'DES-15', title: 'file handling', cwes: [434, 646] },
] as const;

function designCheck(weakness: (typeof designWeaknesses)[number]): Check<EvidenceImportFacts> {
  const cwes = new Set<number>(weakness.cwes);
  return {
    id: `evidence-import/findings-${weakness.name}`,
    title: `No imported scan reports a high-severity ${weakness.title} weakness`,
    severity: 'high',
    remediation: `Fix the ${weakness.title} weaknesses the scanners report (see the CWE ids) and import the new results.`,
    evaluate(facts, policy, context) {
      // Scanners can show a weakness; they cannot show the design is right. Without a finding
      // this says nothing, and the control rests on its other evidence.
      if (facts.status !== 'present') return notApplicable(this.id, 'no imported scan results to judge');
      const selection = selectEvidence(facts, ['static-analysis'], policy, context.now);
      const hosts = selectEvidence(facts, ['dynamic-scan', 'tls-scan'], policy, context.now, 'time-only');
      const items = [...selection.current, ...hosts.current];
      const findings: Finding[] = [];
      const evidence: Evidence[] = [];
      for (const item of items) {
        const hits = (item.summary as FindingSummary).weaknesses.filter(
          (entry) => entry.severity === 'high' && cwes.has(entry.cwe),
        );
        if (hits.length === 0) continue;
        evidence.push(importEvidenceItem(item, findingsNote(item.summary)));
        for (const hit of hits) {
          findings.push(
            findingOf(
              this,
              `${item.tool} reports ${hit.count} high-severity CWE-${hit.cwe} result(s) (${item.fileName}).`,
              {
                location: { path: item.fileName },
                key: `${item.tool}\u0000${hit.cwe}`,
              },
            ),
          );
        }
      }
      if (findings.length === 0) {
        return notApplicable(
          this.id,
          items.length === 0
            ? 'no scan results imported for the assessed commit'
            : `no imported scan reports a high-severity ${weakness.title} weakness`,
        );
      }
      return failed(
        this.id,
        `${findings.length} ${weakness.title} weakness(es) reported by imported scans`,
        evidence,
        findings,
      );
    },
  };
}

export const designFindingChecks: readonly Check<EvidenceImportFacts>[] = designWeaknesses.map(designCheck);
