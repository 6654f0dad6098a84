import { SecretsError } from '../errors.js';
import type { RegexSpec } from '../rules/types.js';

const posixClasses: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
  ascii: '\\x00-\\x7f',
};

function unsupported(ruleId: string, what: string): SecretsError {
  return new SecretsError(
    'SECRETS_RULE_UNSUPPORTED_REGEX',
    `rule ${ruleId}: unsupported Go regex syntax: ${what}`,
  );
}

/**
 * Translates a Go (RE2) regex to a JavaScript one. Leading `(?i)`-style flags become RegExp flags;
 * flags set mid-pattern become a modifier group `(?i:…)` closed where the enclosing group closes.
 * Syntax with no JavaScript equivalent is rejected with a typed error naming the rule.
 */
export function translateGoRegex(source: string, ruleId: string): RegexSpec {
  let flags = '';
  let rest = source;
  const leading = /^\(\?([imsU]+)\)/.exec(rest);
  if (leading) {
    const given = leading[1] ?? '';
    if (given.includes('U')) throw unsupported(ruleId, 'the ungreedy flag (?U)');
    flags = given;
    rest = rest.slice(leading[0].length);
  }
  let output = '';
  let unicode = false;
  // For each open group: the mid-pattern flag groups opened in it, closed when it closes.
  const flagGroups: string[][] = [[]];
  const current = (): string[] => flagGroups[flagGroups.length - 1] as string[];
  let index = 0;
  while (index < rest.length) {
    const char = rest[index] as string;
    if (char === '\\') {
      const next = rest[index + 1] ?? '';
      if (next === 'Q') {
        const end = rest.indexOf('\\E', index + 2);
        const literal = rest.slice(index + 2, end === -1 ? rest.length : end);
        output += literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        index = end === -1 ? rest.length : end + 2;
        continue;
      }
      if (next === 'z') {
        output += '(?![\\s\\S])';
        index += 2;
        continue;
      }
      if (next === 'A') {
        output += '(?<![\\s\\S])';
        index += 2;
        continue;
      }
      if (next === 'C') throw unsupported(ruleId, '\\C');
      if (next === 'p' || next === 'P') unicode = true;
      if (next === 'x' && rest[index + 2] === '{') {
        const close = rest.indexOf('}', index);
        const hex = rest.slice(index + 3, close);
        if (close === -1 || !/^[0-9A-Fa-f]{1,6}$/.test(hex)) throw unsupported(ruleId, '\\x{…}');
        output += `\\u{${hex}}`;
        unicode = true;
        index = close + 1;
        continue;
      }
      output += char + next;
      index += 2;
      continue;
    }
    if (char === '[') {
      const end = findClassEnd(rest, index);
      if (end === -1) throw unsupported(ruleId, 'an unterminated character class');
      output += translateClass(rest.slice(index, end + 1));
      index = end + 1;
      continue;
    }
    if (char === '(') {
      if (rest.startsWith('(?P<', index)) {
        output += '(?<';
        index += 4;
        flagGroups.push([]);
        continue;
      }
      const inline = /^\(\?([imsU-]+)\)/.exec(rest.slice(index));
      if (inline) {
        const given = inline[1] ?? '';
        if (given.includes('U')) throw unsupported(ruleId, 'the ungreedy flag (?U)');
        output += `(?${given}:`;
        current().push(given);
        index += inline[0].length;
        continue;
      }
      if (/^\(\?[imsU-]+:/.exec(rest.slice(index, index + 12))?.[0].includes('U')) {
        throw unsupported(ruleId, 'the ungreedy flag (?U:…)');
      }
      flagGroups.push([]);
      output += char;
      index++;
      continue;
    }
    if (char === ')') {
      const opened = flagGroups.length > 1 ? (flagGroups.pop() ?? []) : [];
      output += ')'.repeat(opened.length) + char;
      index++;
      continue;
    }
    if (char === '|' && current().length > 0) {
      // In Go the flags hold to the end of the group, across alternatives: close and reopen.
      const opened = current();
      output += `${')'.repeat(opened.length)}|${opened.map((given) => `(?${given}:`).join('')}`;
      index++;
      continue;
    }
    output += char;
    index++;
  }
  output += ')'.repeat(flagGroups[0]?.length ?? 0);
  if (unicode) flags += 'u';
  try {
    new RegExp(output, flags);
  } catch (error) {
    throw new SecretsError(
      'SECRETS_RULE_UNSUPPORTED_REGEX',
      `rule ${ruleId}: regex does not compile in JavaScript (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  return { source: output, flags };
}

/** Index of the `]` closing the class opened at `start` (Go rules: a leading `]` is literal). */
function findClassEnd(text: string, start: number): number {
  let index = start + 1;
  if (text[index] === '^') index++;
  if (text[index] === ']') index++;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') index += 2;
    else if (char === '[' && text[index + 1] === ':') {
      const close = text.indexOf(':]', index + 2);
      index = close === -1 ? index + 1 : close + 2;
    } else if (char === ']') return index;
    else index++;
  }
  return -1;
}

function translateClass(text: string): string {
  let body = text.slice(1, -1);
  let negated = '';
  if (body.startsWith('^')) {
    negated = '^';
    body = body.slice(1);
  }
  if (body.startsWith(']')) body = `\\]${body.slice(1)}`;
  body = body.replace(/\[:(\^?)([a-z]+):\]/g, (whole, negate: string, name: string) => {
    const replacement = posixClasses[name];
    if (!replacement || negate) return whole;
    return replacement;
  });
  // A '[' inside a class is literal in Go and must be escaped for the 'u' flag.
  body = body.replace(/(?<!\\)\[/g, '\\[');
  return `[${negated}${body}]`;
}
