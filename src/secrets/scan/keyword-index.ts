/**
 * Aho-Corasick over lowercase ASCII keywords: one pass over a text reports every place a keyword
 * occurs, case-insensitively, in time linear in the text. Transitions are one flat table over ASCII
 * with both letter cases filled in (a DFA), so the inner loop is one typed-array read per character:
 * this loop is most of the CPU time of a history scan.
 */
const alphabet = 128;
const shift = 7;

export interface KeywordHit {
  /** Offset of the keyword's first character. */
  start: number;
  /** Index of the keyword in the list given to `buildKeywordIndex`. */
  keyword: number;
}

export interface KeywordIndex {
  readonly keywords: readonly string[];
  /** Calls `onHit(start, keyword)` for every occurrence, in order of end position. */
  search(text: string, from: number, to: number, onHit: (start: number, keyword: number) => void): void;
}

export function buildKeywordIndex(keywords: readonly string[]): KeywordIndex {
  const rows: Int32Array[] = [new Int32Array(alphabet).fill(-1)];
  const outputs: number[][] = [[]];
  for (const [index, keyword] of keywords.entries()) {
    let node = 0;
    for (let position = 0; position < keyword.length; position++) {
      const code = foldCase(keyword.charCodeAt(position));
      if (code >= alphabet) throw new Error(`keyword is not ASCII: ${keyword}`);
      const row = rows[node] as Int32Array;
      let next = row[code] as number;
      if (next === -1) {
        next = rows.length;
        row[code] = next;
        rows.push(new Int32Array(alphabet).fill(-1));
        outputs.push([]);
      }
      node = next;
    }
    (outputs[node] as number[]).push(index);
  }
  // Breadth-first: fill missing transitions from the failure state, merge outputs along failure links.
  const failure = new Int32Array(rows.length);
  const queue: number[] = [];
  const root = rows[0] as Int32Array;
  for (let code = 0; code < alphabet; code++) {
    const next = root[code] as number;
    if (next === -1) root[code] = 0;
    else {
      failure[next] = 0;
      queue.push(next);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    const row = rows[node] as Int32Array;
    const fallbackRow = rows[failure[node] as number] as Int32Array;
    for (let code = 0; code < alphabet; code++) {
      const next = row[code] as number;
      if (next === -1) {
        row[code] = fallbackRow[code] as number;
      } else {
        const nextFailure = fallbackRow[code] as number;
        failure[next] = nextFailure;
        (outputs[next] as number[]).push(...(outputs[nextFailure] as number[]));
        queue.push(next);
      }
    }
  }
  // Flat table: entry (state << shift | code) holds the next state already shifted, so the loop
  // does no multiplication; upper-case letters get their lower-case transitions.
  const table = new Int32Array(rows.length << shift);
  const accepting = new Uint8Array(rows.length);
  for (const [state, row] of rows.entries()) {
    for (let code = 0; code < alphabet; code++) {
      table[(state << shift) | code] = (row[foldCase(code)] as number) << shift;
    }
    if ((outputs[state] as number[]).length > 0) accepting[state] = 1;
  }
  const lengths = keywords.map((keyword) => keyword.length);
  return {
    keywords,
    search(text, from, to, onHit) {
      let node = 0;
      for (let position = from; position < to; position++) {
        const code = text.charCodeAt(position);
        node = code < alphabet ? (table[node | code] as number) : 0;
        if (accepting[node >>> shift] === 0) continue;
        for (const keyword of outputs[node >>> shift] as number[]) {
          onHit(position - (lengths[keyword] as number) + 1, keyword);
        }
      }
    },
  };
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
