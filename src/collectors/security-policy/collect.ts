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
}

export interface SecurityPolicyFacts {
  /** The first policy file found, in the order above. */
  file?: { path: string; lines: number; contacts: ContactLine[]; empty: boolean };
}

const emailPattern = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/;
const urlPattern = /\bhttps:\/\/[^\s)>\]]{3,}/;

/** Finds lines that tell a reporter where to send a vulnerability: an e-mail address or an https URL. */
export function findContactLines(text: string): ContactLine[] {
  const contacts: ContactLine[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.length > 4000) continue;
    if (emailPattern.test(line)) contacts.push({ line: index + 1, kind: 'email' });
    else if (urlPattern.test(line)) contacts.push({ line: index + 1, kind: 'url' });
  }
  return contacts;
}

export async function collectSecurityPolicy(repository: RepositorySnapshot): Promise<SecurityPolicyFacts> {
  const found = securityPolicyLocations.find((path) => repository.has(path));
  if (!found) return {};
  const file = await repository.readText(found, 256 * 1024);
  if (!file) return { file: { path: found, lines: 0, contacts: [], empty: true } };
  return {
    file: {
      path: found,
      lines: file.text.split('\n').length,
      contacts: findContactLines(file.text),
      empty: file.text.trim().length === 0,
    },
  };
}
