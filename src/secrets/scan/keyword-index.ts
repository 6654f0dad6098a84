/**
 * Aho-Corasick over lowercase ASCII keywords: one pass over a text reports every place a keyword
 * occurs, case-insensitively, in time linear in the text. Transitions are a dense table over ASCII
 * (a DFA), so the inner loop is one array read per character.
 */
const alphabet = 128;

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
  const transitions: Int32Array[] = [new Int32Array(alphabet).fill(-1)];
  const outputs: number[][] = [[]];
  for (const [index, keyword] of keywords.entries()) {
    let node = 0;
    for (let position = 0; position < keyword.length; position++) {
      const code = foldCase(keyword.charCodeAt(position));
      if (code >= alphabet) throw new Error(`keyword is not ASCII: ${keyword}`);
      const row = transitions[node] as Int32Array;
      let next = row[code] as number;
      if (next === -1) {
        next = transitions.length;
        row[code] = next;
        transitions.push(new Int32Array(alphabet).fill(-1));
        outputs.push([]);
      }
      node = next;
    }
    (outputs[node] as number[]).push(index);
  }
  // Breadth-first: fill missing transitions from the failure state, merge outputs along failure links.
  const failure = new Int32Array(transitions.length);
  const queue: number[] = [];
  const root = transitions[0] as Int32Array;
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
    const row = transitions[node] as Int32Array;
    const fallbackRow = transitions[failure[node] as number] as Int32Array;
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
  const lengths = keywords.map((keyword) => keyword.length);
  return {
    keywords,
    search(text, from, to, onHit) {
      let node = 0;
      for (let position = from; position < to; position++) {
        const code = foldCase(text.charCodeAt(position));
        node = code < alphabet ? ((transitions[node] as Int32Array)[code] as number) : 0;
        const found = outputs[node] as number[];
        if (found.length === 0) continue;
        for (const keyword of found) onHit(position - (lengths[keyword] as number) + 1, keyword);
      }
    },
  };
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
