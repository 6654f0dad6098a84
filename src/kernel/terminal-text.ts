/**
 * Makes a string from a repository (a file name, a line, a job name) safe to print on a
 * terminal: control characters (escape sequences that move the cursor, rewrite earlier lines,
 * ring the bell, set an OSC-8 hyperlink) and bidirectional overrides become visible `\x1b` /
 * `\u202e` text, and line breaks become spaces, so a value can never forge a line of its own.
 * Every renderer that writes text for a terminal passes repository strings through it.
 */
export function escapeForTerminal(text: string): string {
  let result = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '\n' || character === '\r' || character === '\t') result += ' ';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
      result += `\\x${code.toString(16).padStart(2, '0')}`;
    } else if (
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069) ||
      code === 0x200e ||
      code === 0x200f ||
      code === 0x061c
    ) {
      // Bidirectional controls would let a message display in a different order than it reads.
      result += `\\u${code.toString(16).padStart(4, '0')}`;
    } else result += character;
  }
  return result;
}

/** Escapes each line of a multi-line message, keeping its own line breaks. */
export function escapeLinesForTerminal(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeForTerminal(line))
    .join('\n');
}
