import { EvidenceImportError } from './errors.js';
import type { ParsedEvidence } from './model.js';
import { cleanText, isoTime } from './parse-support.js';
import { childrenNamed, descendantsNamed, parseXml, type XmlElement } from './xml.js';

const maxFailingNames = 10;

/**
 * JUnit XML (`<testsuites>` or a single `<testsuite>`), as written by vitest, Jest, pytest, Maven
 * Surefire, Go's go-junit-report and most CI tools: tests are counted from the `<testcase>`
 * elements (a test with `<failure>` failed, with `<error>` errored, with `<skipped>` was skipped);
 * a file without test cases falls back on the suites' `tests`/`failures`/`errors`/`skipped`
 * attributes. The earliest `timestamp` is when the tests ran. JUnit names no commit.
 */
export function parseJunit(fileName: string, text: string): ParsedEvidence {
  const document = parseXml(fileName, text);
  const root = document.children[0];
  if (!root || (root.name !== 'testsuites' && root.name !== 'testsuite') || document.children.length > 1) {
    throw new EvidenceImportError(
      'EVIDENCE_MALFORMED',
      `${fileName}: a JUnit report has one <testsuites> or <testsuite> root element`,
      { location: { path: fileName } },
    );
  }
  // Suites may nest (Surefire, some Jest reporters); each test case is counted once, in its suite.
  const suites =
    root.name === 'testsuite'
      ? [root, ...descendantsNamed(root, 'testsuite')]
      : descendantsNamed(root, 'testsuite');
  const cases = suites.flatMap((suite) => childrenNamed(suite, 'testcase'));
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const failing: string[] = [];
  if (cases.length > 0) {
    for (const testCase of cases) {
      tests += 1;
      const outcome = outcomeOf(testCase);
      if (outcome === 'failure') failures += 1;
      else if (outcome === 'error') errors += 1;
      else if (outcome === 'skipped') skipped += 1;
      if ((outcome === 'failure' || outcome === 'error') && failing.length < maxFailingNames) {
        const suiteName = testCase.attributes.get('classname') ?? '';
        const name = testCase.attributes.get('name') ?? 'unnamed test';
        failing.push(cleanText(suiteName === '' ? name : `${suiteName} > ${name}`));
      }
    }
  } else {
    const counted = root.name === 'testsuites' && suites.length === 0 ? [root] : suites;
    for (const suite of counted) {
      tests += count(suite, 'tests');
      failures += count(suite, 'failures');
      errors += count(suite, 'errors');
      skipped += count(suite, 'skipped') + count(suite, 'disabled');
    }
  }
  let ranAt: string | undefined;
  for (const element of [root, ...suites]) {
    const time = isoTime(timestampOf(element));
    if (time !== undefined && (ranAt === undefined || time < ranAt)) ranAt = time;
  }
  const name = root.attributes.get('name');
  const parsed: ParsedEvidence = {
    format: 'junit',
    // vitest names its root "vitest tests", pytest its suite "pytest": a hint, not a proof.
    tool: name === undefined || name.trim() === '' ? 'JUnit XML' : cleanText(name, 100),
    summary: { kind: 'tests', tests, failures, errors, skipped, failing },
  };
  if (ranAt !== undefined) parsed.ranAt = ranAt;
  return parsed;
}

function outcomeOf(testCase: XmlElement): 'failure' | 'error' | 'skipped' | 'passed' {
  const names = new Set(testCase.children.map((child) => child.name));
  if (names.has('failure')) return 'failure';
  if (names.has('error')) return 'error';
  if (names.has('skipped')) return 'skipped';
  return 'passed';
}

function count(element: XmlElement, attribute: string): number {
  const value = Number(element.attributes.get(attribute) ?? '0');
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** JUnit timestamps are often local time without a zone (Surefire, pytest): read as UTC. */
function timestampOf(element: XmlElement): string | undefined {
  const value = element.attributes.get('timestamp');
  if (value === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? `${value}Z` : value;
}
