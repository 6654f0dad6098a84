import { failed, findingOf, passed } from '../results.js';
import type { Check } from '../types.js';
import { type SecurityPolicyFacts, securityPolicyLocations } from './collect.js';

export const securityPolicyPresent: Check<SecurityPolicyFacts> = {
  id: 'security-policy/present',
  title: 'A security policy tells reporters how to disclose vulnerabilities',
  severity: 'medium',
  remediation:
    'Add SECURITY.md at the repository root saying which versions are supported and how to report a vulnerability privately.',
  evaluate(facts) {
    if (facts.file && !facts.file.empty) {
      return passed(this.id, `security policy found in ${facts.file.path}`, [
        { kind: 'file', path: facts.file.path, line: 1 },
      ]);
    }
    const evidence = facts.file
      ? [{ kind: 'file' as const, path: facts.file.path, note: 'empty or unreadable' }]
      : [{ kind: 'absence' as const, lookedFor: [...securityPolicyLocations], in: 'working tree' }];
    return failed(this.id, 'no security policy found', evidence, [
      findingOf(this, 'The repository has no vulnerability-disclosure policy.'),
    ]);
  },
};

export const securityPolicyContact: Check<SecurityPolicyFacts> = {
  id: 'security-policy/contact',
  title: 'The security policy names a private reporting contact',
  severity: 'low',
  remediation: 'Name an e-mail address or an https reporting form in the security policy.',
  evaluate(facts) {
    const file = facts.file;
    if (!file) {
      return failed(
        this.id,
        'no security policy, so no reporting contact',
        [{ kind: 'absence', lookedFor: [...securityPolicyLocations], in: 'working tree' }],
        [findingOf(this, 'No vulnerability reporting contact is published.')],
      );
    }
    const first = file.contacts[0];
    if (first) {
      return passed(this.id, `reporting contact (${first.kind}) in ${file.path}`, [
        { kind: 'file', path: file.path, line: first.line },
      ]);
    }
    return failed(
      this.id,
      `${file.path} names no e-mail address or https URL`,
      [{ kind: 'file', path: file.path }],
      [
        findingOf(this, 'The security policy names no contact for reports.', {
          location: { path: file.path },
        }),
      ],
    );
  },
};
