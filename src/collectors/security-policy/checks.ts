import { failed, findingOf, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { ContactLine, SecurityPolicyFacts } from './collect.js';

/** Domains reserved or used for examples (RFC 2606, RFC 6761) and the usual template stand-ins. */
const placeholderDomain =
  /(^|\.)(example|invalid|localhost|test|local)$|(^|\.)example\.[a-z]{2,24}$|^(your|my)?-?(domain|company|org|organisation|organization|project|email)\.[a-z]{2,24}$|^(domain|company|email|mail|host|website|yourcompany|mycompany|changeme)\.[a-z]{2,24}$/i;
const placeholderText = /<[^>]*>|\b(todo|tbd|fixme|changeme|xxx+|placeholder|replace[-_ ]?me)\b/i;

/** Why a contact is not a working route, or undefined when it may be one. */
export function placeholderContact(contact: ContactLine): string | undefined {
  if (placeholderText.test(contact.value)) return `${contact.value} is a template placeholder`;
  const host =
    contact.kind === 'email'
      ? (contact.value.split('@')[1] ?? '')
      : (/^https:\/\/([^/:?#]+)/.exec(contact.value)?.[1] ?? '');
  if (placeholderDomain.test(host.toLowerCase().replace(/\.$/, ''))) {
    return `${contact.value} is on ${host}, a domain reserved for examples`;
  }
  return undefined;
}

export const securityPolicyPresent: Check<SecurityPolicyFacts> = {
  id: 'security-policy/present',
  title: 'A security policy tells reporters how to disclose vulnerabilities',
  severity: 'medium',
  remediation:
    'Add SECURITY.md at the repository root saying which versions are supported and how to report a vulnerability privately.',
  evaluate(facts) {
    const hollow = facts.file?.hollow;
    if (facts.file && hollow) {
      const what =
        hollow === 'template'
          ? "is the forge's unedited template"
          : 'holds only headings and placeholders (TODO, <…>)';
      return failed(
        this.id,
        `${facts.file.path} ${what}`,
        [{ kind: 'file' as const, path: facts.file.path, note: what }],
        [
          findingOf(this, `${facts.file.path} ${what}: it tells a reporter nothing.`, {
            location: { path: facts.file.path },
            key: hollow,
          }),
        ],
      );
    }
    if (facts.file && !facts.file.empty) {
      return passed(this.id, `security policy found in ${facts.file.path}`, [
        { kind: 'file', path: facts.file.path, line: 1 },
      ]);
    }
    if (!facts.file) {
      // GitHub applies an organisation's .github/SECURITY.md to repositories without their own.
      return unknown(
        this.id,
        'no security policy in the repository; one kept at organisation level cannot be seen offline',
        'Add SECURITY.md to the repository, or attest that the organisation-level policy (the organisation’s .github repository) applies.',
      );
    }
    return failed(
      this.id,
      'the security policy is empty or unreadable',
      [{ kind: 'file' as const, path: facts.file.path, note: 'empty or unreadable' }],
      [findingOf(this, 'The repository has no readable vulnerability-disclosure policy.')],
    );
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
      return unknown(
        this.id,
        'no security policy in the repository, so its reporting contact (if kept at organisation level) cannot be seen offline',
        'Add SECURITY.md with a working reporting address, URL or the forge’s private advisory link.',
      );
    }
    const working = file.contacts.filter((contact) => placeholderContact(contact) === undefined);
    const first = working[0];
    if (first) {
      return passed(this.id, `reporting contact (${first.kind}) in ${file.path}`, [
        { kind: 'file', path: file.path, line: first.line, note: first.value },
      ]);
    }
    const placeholders = file.contacts.map((contact) => ({
      contact,
      reason: placeholderContact(contact) ?? '',
    }));
    if (placeholders.length > 0) {
      return failed(
        this.id,
        `${file.path} names only placeholder contacts: ${placeholders.map((item) => item.reason).join('; ')}`,
        placeholders.map((item) => ({
          kind: 'file',
          path: file.path,
          line: item.contact.line,
          note: item.reason,
        })),
        placeholders.map((item) =>
          findingOf(this, `The reporting contact ${item.reason}.`, {
            location: { path: file.path, line: item.contact.line },
            key: item.contact.value,
            severity: 'medium',
          }),
        ),
      );
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
