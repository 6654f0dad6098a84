import type { RepositorySnapshot } from '../../kernel/index.js';

/** Where GitHub, GitLab and RFC 9116 look for a vulnerability-disclosure policy. */
export const securityPolicyLocations = [
  'SECURITY.md',
  'SECURITY.rst',
  'SECURITY.txt',
  'SECURITY',
  '.github/SECURITY.md',
  'docs/SECURITY.md',
  '.gitlab/SECURITY.md',
  '.well-known/security.txt',
  'security.txt',
] as const;

export interface ContactLine {
  line: number;
  kind: 'email' | 'url';
  /** The address or URL as written (at most 300 characters). */
  value: string;
}

export interface SecurityPolicyFacts {
  /** The first policy file found, in the order above. */
  file?: {
    path: string;
    lines: number;
    contacts: ContactLine[];
    empty: boolean;
    /** Set when the file is a prop: the forge's unedited template, or headings and placeholders only. */
    hollow?: 'template' | 'placeholder';
  };
}

/** A sentence of the template GitHub offers for a new SECURITY.md, left in when it is not edited. */
const forgeTemplate = /use this section to tell people/i;
const placeholders =
  /<[^>]*>|\b(?:todo|tbd|fixme|changeme|xxx+|placeholder|replace[-_ ]?me|lorem ipsum|coming soon)\b/gi;

/** Whether `text` is a prop rather than a policy (see `hollow` above). */
export function hollowPolicy(text: string): 'template' | 'placeholder' | undefined {
  if (forgeTemplate.test(text)) return 'template';
  const prose = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(placeholders, ' ')
    .replace(/[^\p{L}\p{N}@]+/gu, '');
  return prose === '' && text.trim() !== '' ? 'placeholder' : undefined;
}

const emailPattern = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/;
const urlPattern = /\bhttps:\/\/[^\s)>\]]{3,}/;

/** Finds lines that tell a reporter where to send a vulnerability: an e-mail address or an https URL. */
export function findContactLines(text: string): ContactLine[] {
  const contacts: ContactLine[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.length > 4000) continue;
    const email = emailPattern.exec(line)?.[0];
    const url = urlPattern.exec(line)?.[0];
    if (email) contacts.push({ line: index + 1, kind: 'email', value: email.slice(0, 300) });
    else if (url) contacts.push({ line: index + 1, kind: 'url', value: url.slice(0, 300) });
  }
  return contacts;
}

export async function collectSecurityPolicy(repository: RepositorySnapshot): Promise<SecurityPolicyFacts> {
  const found = securityPolicyLocations.find((path) => repository.has(path));
  if (!found) return {};
  const file = await repository.readText(found, 256 * 1024);
  if (!file) return { file: { path: found, lines: 0, contacts: [], empty: true } };
  const hollow = hollowPolicy(file.text);
  return {
    file: {
      path: found,
      lines: file.text.split('\n').length,
      contacts: findContactLines(file.text),
      empty: file.text.trim().length === 0,
      ...(hollow ? { hollow } : {}),
    },
  };
}
