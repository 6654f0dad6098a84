import { describe, expect, it } from 'vitest';
import { createRandom, fakeCredentials } from '../../testing/fake-credentials.js';
import { defaultRuleSet } from '../rules/default-rules.js';
import { compileRuleSet } from './compile-rules.js';
import type { EngineMatch } from './engine.js';
import { findLineDelta, mergeLineDelta } from './line-delta.js';
import { scanTextBuffer } from './scan-buffer.js';

const ruleSet = compileRuleSet(defaultRuleSet());

/** Lines with a secret, minus those where a multi-line rule runs (its results are never reused). */
const credentialLines = fakeCredentials(21)
  .flatMap((credential) => credential.content.split('\n').filter((line) => line.includes(credential.secret)))
  .filter((line) => !scanTextBuffer(Buffer.from(line), ruleSet).crossLine);

function summary(matches: readonly EngineMatch[]): string[] {
  return matches.map((match) => `${match.ruleId}@${match.line}:${match.column}:${match.secret}`).sort();
}

/** Scans `next` as a history scan does when `base` was scanned before it. */
function scanAgainst(base: Buffer, next: Buffer): { matches: EngineMatch[]; reused: boolean } {
  const baseScan = scanTextBuffer(base, ruleSet);
  const delta = findLineDelta(base, next);
  const region = scanTextBuffer(next.subarray(delta.headEnd, delta.tailStart), ruleSet);
  if (baseScan.crossLine || region.crossLine)
    return { matches: scanTextBuffer(next, ruleSet).matches, reused: false };
  return { matches: mergeLineDelta(base, baseScan.matches, next, delta, region.matches), reused: true };
}

describe('findLineDelta', () => {
  it('widens the changed bytes to whole lines on both sides', () => {
    const base = Buffer.from('one\ntwo\nthree\nfour\n');
    const next = Buffer.from('one\ntwo!\nthree\nfour\n');
    const delta = findLineDelta(base, next);
    expect(next.subarray(0, delta.headEnd).toString()).toBe('one\n');
    expect(next.subarray(delta.headEnd, delta.tailStart).toString()).toBe('two!\n');
    expect(base.subarray(delta.headEnd, delta.baseTailStart).toString()).toBe('two\n');
    expect(next.subarray(delta.tailStart).toString()).toBe('three\nfour\n');
  });

  it('handles appends, truncation and a last line without a newline', () => {
    const grown = findLineDelta(Buffer.from('a\nb'), Buffer.from('a\nbc\nd'));
    expect(grown).toEqual({ headEnd: 2, tailStart: 6, baseTailStart: 3 });
    const shrunk = findLineDelta(Buffer.from('a\nb\nc\n'), Buffer.from('a\n'));
    expect(shrunk.headEnd).toBe(2);
    expect(shrunk.tailStart).toBe(2);
  });

  it('finds long shared prefixes and suffixes exactly', () => {
    const random = createRandom(5);
    const head = `${random('abcdef \n', 300_000)}\n`;
    const tail = `\n${random('abcdef \n', 200_000)}`;
    const base = Buffer.from(`${head}old middle${tail}`);
    const next = Buffer.from(`${head}new middle!${tail}`);
    const delta = findLineDelta(base, next);
    expect(delta.headEnd).toBe(head.length);
    expect(delta.tailStart).toBe(next.length - tail.length + 1);
    expect(delta.baseTailStart).toBe(base.length - tail.length + 1);
    // One byte changed at every kind of offset, against the answer computed byte by byte.
    const text = Buffer.from(random('ab\n', 5000));
    for (let at = 0; at < text.length; at += 37) {
      const changed = Buffer.from(text);
      changed[at] = 0x7a;
      const expected = findLineDelta(text, changed);
      const lineStart = at === 0 ? 0 : text.lastIndexOf(10, at - 1) + 1;
      const lineEnd = changed.indexOf(10, at);
      expect(expected.headEnd, `at ${at}`).toBe(lineStart);
      expect(expected.tailStart, `at ${at}`).toBe(lineEnd === -1 ? text.length : lineEnd + 1);
    }
  });
});

describe('mergeLineDelta gives what a full scan of the new version gives', () => {
  it('over random edits of files full of secrets', () => {
    const random = createRandom(99);
    const pick = (count: number) => Math.floor((Number.parseInt(random('0123456789', 6), 10) / 1e6) * count);
    const filler = ['const value = compute(input);', 'token = read_token()', 'é ünïcode line', '', '\r'];
    let lines: string[] = [];
    for (let index = 0; index < 60; index++) {
      lines.push(
        index % 4 === 0
          ? (credentialLines[pick(credentialLines.length)] as string)
          : (filler[pick(filler.length)] as string),
      );
    }
    expect(credentialLines.length).toBeGreaterThan(25);
    let reused = 0;
    for (let round = 0; round < 600; round++) {
      const base = Buffer.from(lines.join('\n'));
      const edited = [...lines];
      const at = pick(edited.length + 1);
      const kind = pick(6);
      const secretLine = credentialLines[pick(credentialLines.length)] as string;
      if (kind === 0) edited.splice(at, 0, secretLine);
      else if (kind === 1) edited.splice(at, 1 + pick(3));
      else if (kind === 2)
        edited.splice(at, 1, `${edited[at] ?? ''}${secretLine.slice(0, pick(secretLine.length))}`);
      else if (kind === 3) edited.splice(at, 0, ...filler.slice(0, 1 + pick(filler.length)));
      else if (kind === 4) edited.push(`${secretLine}${pick(2) === 0 ? '\n' : ''}`);
      else {
        // One character changed anywhere, often inside a secret.
        const line = edited[Math.min(at, edited.length - 1)] ?? '';
        const column = pick(line.length + 1);
        edited[Math.min(at, edited.length - 1)] =
          `${line.slice(0, column)}${random('aZ9_-=', 1)}${line.slice(column + 1)}`;
      }
      const next = Buffer.from(edited.join('\n'));
      const result = scanAgainst(base, next);
      if (result.reused) reused++;
      expect(summary(result.matches), `round ${round}`).toEqual(
        summary(scanTextBuffer(next, ruleSet).matches),
      );
      lines = edited.length > 200 ? edited.slice(0, 60) : edited;
    }
    expect(reused).toBe(600);
  });

  it('is not used when a rule whose match may span lines ran', () => {
    const key = fakeCredentials(3).find((credential) => credential.ruleId === 'private-key');
    const base = Buffer.from(`config\n${key?.content ?? ''}`);
    const next = Buffer.from(`config edited\n${key?.content ?? ''}`);
    expect(scanTextBuffer(base, ruleSet).crossLine).toBe(true);
    const result = scanAgainst(base, next);
    expect(result.reused).toBe(false);
    expect(result.matches.map((match) => `${match.ruleId}@${match.line}`)).toEqual(['private-key@2']);
  });
});
