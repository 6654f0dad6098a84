import { patternProblem } from './pattern.js';

/**
 * Parses a CODEOWNERS file into rules with line numbers. Lines that GitHub or GitLab would ignore
 * or reject are kept as invalid lines (with the reason), never dropped silently.
 */

export interface CodeownersRule {
  line: number;
  pattern: string;
  /** Empty when the rule explicitly leaves the matched files without an owner. */
  owners: string[];
  /** Set when the owners come from a GitLab section header, not the line itself. */
  section?: string;
}

export interface InvalidLine {
  line: number;
  reason: string;
  /** The line as written (at most 200 characters), so a finding stays stable when lines move. */
  text: string;
}

export interface ParsedCodeowners {
  rules: CodeownersRule[];
  invalidLines: InvalidLine[];
}

/** Lines longer than this are not parsed (hostile input); they are reported instead. */
const maxLineLength = 4096;

const userOrTeam = /^@[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)*$/;
const gitlabRole = /^@@[a-z_]+$/;
const email = /^[^\s@]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$/;
/** GitLab sections: `[Name]`, `^[Optional]`, `[Name][2]`, optionally followed by default owners. */
const sectionHeader = /^\^?\[([^\]]{1,200})\](\[\d{1,3}\])?(\s.*)?$/;

export function isOwner(token: string): boolean {
  return userOrTeam.test(token) || gitlabRole.test(token) || email.test(token);
}

export function parseCodeowners(text: string): ParsedCodeowners {
  const rules: CodeownersRule[] = [];
  const invalidLines: InvalidLine[] = [];
  let section: { name: string; owners: string[] } | undefined;
  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const line = index + 1;
    if (rawLine.length > maxLineLength) {
      invalidLines.push({
        line,
        reason: `line longer than ${maxLineLength} characters`,
        text: excerpt(rawLine),
      });
      continue;
    }
    const content = stripComment(rawLine.replace(/\r$/, '')).trim();
    if (content.length === 0) continue;

    const header = sectionHeader.exec(content);
    if (header) {
      const owners = splitTokens(header[3] ?? '');
      const bad = owners.filter((owner) => !isOwner(owner));
      if (bad.length > 0)
        invalidLines.push({ line, reason: `not an owner: ${bad.join(', ')}`, text: excerpt(content) });
      section = { name: header[1] ?? '', owners: owners.filter(isOwner) };
      continue;
    }

    const [pattern = '', ...owners] = splitTokens(content);
    if (pattern.startsWith('!')) {
      invalidLines.push({
        line,
        reason: 'negation (!) is not supported in CODEOWNERS',
        text: excerpt(content),
      });
      continue;
    }
    if (/(^|[^\\])\[/.test(pattern)) {
      invalidLines.push({
        line,
        reason: 'character ranges ([ ]) are not supported in CODEOWNERS',
        text: excerpt(content),
      });
      continue;
    }
    const refused = patternProblem(pattern);
    if (refused) {
      invalidLines.push({ line, reason: refused, text: excerpt(content) });
      continue;
    }
    const bad = owners.filter((owner) => !isOwner(owner));
    if (bad.length > 0) {
      invalidLines.push({ line, reason: `not an owner: ${bad.join(', ')}`, text: excerpt(content) });
      continue;
    }
    const rule: CodeownersRule = { line, pattern, owners };
    if (owners.length === 0 && section && section.owners.length > 0) {
      rule.owners = [...section.owners];
      rule.section = section.name;
    }
    rules.push(rule);
  }
  return { rules, invalidLines };
}

function excerpt(text: string): string {
  return text.length > 200 ? text.slice(0, 200) : text;
}

/** Removes a comment: `#` at the start or after whitespace, unless escaped. */
function stripComment(line: string): string {
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (character === '\\') {
      index++;
      continue;
    }
    if (character === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) return line.slice(0, index);
  }
  return line;
}

/** Splits on whitespace that is not escaped with a backslash (patterns may contain `\ `). */
function splitTokens(content: string): string[] {
  const tokens: string[] = [];
  let current = '';
  for (let index = 0; index < content.length; index++) {
    const character = content[index] ?? '';
    if (character === '\\' && index + 1 < content.length) {
      current += character + (content[index + 1] ?? '');
      index++;
    } else if (/\s/.test(character)) {
      if (current.length > 0) tokens.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  if (current.length > 0) tokens.push(current);
  return tokens;
}
