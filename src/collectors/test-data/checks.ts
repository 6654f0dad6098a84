import { compileGlob, type Evidence, type Finding } from '../../kernel/index.js';
import { detectPersonalData, type PersonalDataKind } from '../../personal-data/index.js';
import { failed, findingOf, notApplicable, passed } from '../results.js';
import type { Check } from '../types.js';
import type { TestDataFacts } from './collect.js';

const labels: Readonly<Record<PersonalDataKind, string>> = {
  email: 'an e-mail address at a real domain',
  'card-number': 'a valid payment card number',
  'uk-national-insurance': 'a UK National Insurance number',
  iban: 'an IBAN with valid check digits',
  phone: 'a phone number with a country code',
  'sql-user-dump': 'a SQL dump of a user table',
};

/**
 * A path allowed by policy: a prefix, or a glob with `*` (one segment) and `**` (any). The policy
 * is repository content, so globs are matched linearly (`compileGlob`), never as a regular
 * expression a crafted pattern could make backtrack for hours.
 */
export function pathAllowed(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    if (!pattern.includes('*'))
      return path === pattern || path.startsWith(pattern.endsWith('/') ? pattern : `${pattern}/`);
    return compileGlob(pattern)(path);
  });
}

export const testDataSanitised: Check<TestDataFacts> = {
  id: 'test-data/sanitised',
  title: 'Test, fixture and seed data hold no real-looking personal data',
  severity: 'high',
  remediation:
    'Replace the value with synthetic data (example.com addresses, published test card numbers, fictional phone ranges); if it is synthetic already, mark the line `shipguard:allow` or add the path to pipelines.testData.allowPaths.',
  evaluate(facts, policy) {
    const settings = policy.pipelines.testData;
    if (facts.files.length === 0) {
      return notApplicable(this.id, 'no test, fixture or seed data files found', [
        {
          kind: 'absence',
          lookedFor: ['test/', 'fixtures/', 'seed/', 'testdata/', '*seed*.sql'],
          in: 'working tree',
        },
      ]);
    }
    const findings: Finding[] = [];
    let scanned = 0;
    for (const file of facts.files) {
      if (pathAllowed(file.path, settings.allowPaths)) continue;
      scanned += 1;
      for (const match of detectPersonalData(file.text, { allowEmailDomains: settings.allowEmailDomains })) {
        findings.push(
          findingOf(this, `${file.path} holds ${labels[match.kind]} (${match.masked}).`, {
            location: { path: file.path, line: match.line, column: match.column },
            key: `${match.kind}\0${match.masked}`,
          }),
        );
      }
    }
    const evidence: Evidence[] = [
      { kind: 'absence', lookedFor: Object.values(labels), in: `${scanned} test data file(s)` },
    ];
    if (findings.length > 0) {
      return failed(
        this.id,
        `${findings.length} real-looking personal data value(s) in test data`,
        findings.slice(0, 20).map((finding) => ({
          kind: 'file',
          path: finding.location?.path ?? '',
          ...(finding.location?.line ? { line: finding.location.line } : {}),
        })),
        findings,
      );
    }
    return passed(this.id, `${scanned} test data file(s) scanned: no real-looking personal data`, evidence);
  },
};
