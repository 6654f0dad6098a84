/**
 * Path globs written in repository content (`include: 'ci/*.yml'`): `*` matches within one path
 * segment, `**` across segments, everything else is literal. Matched by walking the pattern's
 * positions as a set, never by a regular expression: `*a*a*a…x` against a long name would make a
 * backtracking engine run for hours; here a match costs at most pattern × path steps.
 */

type GlobToken = { kind: 'literal'; code: number } | { kind: 'star' } | { kind: 'globstar' };

const slash = 0x2f;

function tokenize(pattern: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let index = 0; index < pattern.length; index++) {
    if (pattern[index] !== '*') {
      tokens.push({ kind: 'literal', code: pattern.charCodeAt(index) });
    } else if (pattern[index + 1] === '*') {
      tokens.push({ kind: 'globstar' });
      index++;
    } else {
      tokens.push({ kind: 'star' });
    }
  }
  return tokens;
}

/** A test of whole paths against `pattern` (see above). */
export function compileGlob(pattern: string): (path: string) => boolean {
  const tokens = tokenize(pattern);
  const size = tokens.length + 1;
  /** Adds position `start`, and every position after it that wildcards matching nothing reach. */
  const reach = (states: Uint8Array, start: number) => {
    let position = start;
    while (position < size && states[position] === 0) {
      states[position] = 1;
      if (tokens[position]?.kind === 'literal' || position === tokens.length) break;
      position++;
    }
  };
  return (path) => {
    let current = new Uint8Array(size);
    let next = new Uint8Array(size);
    reach(current, 0);
    for (let index = 0; index < path.length; index++) {
      const code = path.charCodeAt(index);
      next.fill(0);
      let alive = false;
      for (let position = 0; position < tokens.length; position++) {
        if (current[position] === 0) continue;
        const token = tokens[position] as GlobToken;
        if (token.kind === 'literal') {
          if (token.code === code) {
            reach(next, position + 1);
            alive = true;
          }
        } else if (token.kind === 'globstar' || code !== slash) {
          reach(next, position);
          alive = true;
        }
      }
      if (!alive) return false;
      [current, next] = [next, current];
    }
    return current[tokens.length] === 1;
  };
}
