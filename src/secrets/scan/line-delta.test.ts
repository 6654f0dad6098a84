import { describe, expect, it } from 'vitest';
import { createRandom, fakeCredentials } from '../../testing/fake-credentials.js';
import { defaultRuleSet } from '../rules/default-rules.js';
import { compileRuleSet } from './compile-rules.js';
import type { EngineMatch } from './engine.js';
import { changedText, findLineDelta, mergeLineDelta } from './line-delta.js';
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
function scanAgainst(
  base: Buffer,
  next: Buffer,
): { matches: EngineMatch[]; reused: boolean; rescanned: number } {
  const baseScan = scanTextBuffer(base, ruleSet);
  const delta = findLineDelta(base, next);
  const changed = changedText(next, delta);
  const region = scanTextBuffer(changed, ruleSet);
  if (baseScan.crossLine || region.crossLine)
    return { matches: scanTextBuffer(next, ruleSet).matches, reused: false, rescanned: next.length };
  return {
    matches: mergeLineDelta(base, baseScan.matches, next, delta, region.matches),
    reused: true,
    rescanned: changed.length,
  };
}

/** The delta as text: each shared run (checked equal in both versions) and each changed run. */
function deltaText(base: Buffer, next: Buffer): { shared: string[]; changed: string[] } {
  const delta = findLineDelta(base, next);
  const shared = delta.shared.map((run) => {
    const text = next.subarray(run.nextStart, run.nextStart + run.bytes).toString();
    expect(base.subarray(run.baseStart, run.baseStart + run.bytes).toString()).toBe(text);
    return text;
  });
  return { shared, changed: delta.changed.map((run) => next.subarray(run.start, run.end).toString()) };
}

describe('findLineDelta', () => {
  it('widens the changed bytes to whole lines on both sides', () => {
    const base = Buffer.from('one\ntwo\nthree\nfour\n');
    const next = Buffer.from('one\ntwo!\nthree\nfour\n');
    expect(deltaText(base, next)).toEqual({ shared: ['one\n', 'three\nfour\n'], changed: ['two!\n'] });
  });

  it('handles appends, truncation and a last line without a newline', () => {
    expect(deltaText(Buffer.from('a\nb'), Buffer.from('a\nbc\nd'))).toEqual({
      shared: ['a\n'],
      changed: ['bc\nd'],
    });
    expect(deltaText(Buffer.from('a\nb\nc\n'), Buffer.from('a\n'))).toEqual({ shared: ['a\n'], changed: [] });
    expect(deltaText(Buffer.from('a\nb'), Buffer.from('x\nb'))).toEqual({ shared: ['b'], changed: ['x\n'] });
  });

  it('finds long shared prefixes and suffixes exactly', () => {
    const random = createRandom(5);
    const head = `${random('abcdef \n', 300_000)}\n`;
    const tail = `\n${random('abcdef \n', 200_000)}`;
    const base = Buffer.from(`${head}old middle${tail}`);
    const next = Buffer.from(`${head}new middle!${tail}`);
    expect(deltaText(base, next).changed).toEqual(['new middle!\n']);
    // One byte changed at every kind of offset, against the answer computed byte by byte.
    const text = Buffer.from(random('ab\n', 5000));
    for (let at = 0; at < text.length; at += 37) {
      const changed = Buffer.from(text);
      changed[at] = 0x7a;
      const lineStart = at === 0 ? 0 : text.lastIndexOf(10, at - 1) + 1;
      const lineEnd = changed.indexOf(10, at);
      const line = changed.subarray(lineStart, lineEnd === -1 ? text.length : lineEnd + 1).toString();
      expect(deltaText(text, changed).changed, `at ${at}`).toEqual([line]);
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

describe('findLineDelta between the shared head and tail', () => {
  const random = createRandom(7);
  const filler = (count: number) =>
    Array.from({ length: count }, (_, index) => `  "package-${index}": "${random('0123456789.', 8)}",`);

  it('rescans only the lines that changed, however far apart the edits are', () => {
    const lines = filler(2000);
    const base = Buffer.from(`${lines.join('\n')}\n`);
    const edited = [...lines];
    edited[10] = '  "first": "changed",';
    edited[1990] = '  "last": "changed",';
    const next = Buffer.from(`${edited.join('\n')}\n`);
    const delta = findLineDelta(base, next);
    expect(changedText(next, delta).toString()).toBe('  "first": "changed",\n  "last": "changed",\n');
    const sharedBytes = delta.shared.reduce((sum, run) => sum + run.bytes, 0);
    expect(sharedBytes).toBe(next.length - changedText(next, delta).length);
  });

  it('carries matches over to lines that moved, were repeated or had lines removed around them', () => {
    const secretLines = credentialLines.slice(0, 12);
    const lines = filler(400).map((line, index) =>
      index % 37 === 0 ? (secretLines[index % 12] as string) : line,
    );
    const pick = (count: number) => Math.floor((Number.parseInt(random('0123456789', 6), 10) / 1e6) * count);
    let current = lines;
    let reused = 0;
    for (let round = 0; round < 200; round++) {
      const base = Buffer.from(current.join('\n'));
      const edited = [...current];
      // Several edits at once, anywhere: the middle between the shared head and tail is large.
      for (let edit = 0; edit < 1 + pick(4); edit++) {
        const at = pick(edited.length);
        const kind = pick(5);
        if (kind === 0) edited.splice(at, 0, secretLines[pick(secretLines.length)] as string);
        else if (kind === 1) edited.splice(at, 1 + pick(5));
        else if (kind === 2) edited.splice(pick(edited.length), 0, ...edited.splice(at, 1 + pick(20)));
        else if (kind === 3) edited.splice(at, 0, edited[pick(edited.length)] ?? '}');
        else edited[at] = `${edited[at] ?? ''}${random('aZ9_-=', 3)}`;
      }
      const next = Buffer.from(edited.join('\n'));
      const result = scanAgainst(base, next);
      if (result.reused) reused++;
      expect(summary(result.matches), `round ${round}`).toEqual(
        summary(scanTextBuffer(next, ruleSet).matches),
      );
      current = edited.length > 600 ? edited.slice(0, 400) : edited;
    }
    expect(reused).toBe(200);
  });

  it('stays right, and rescans little, where the same lines recur thousands of times', () => {
    const block = (name: string) => [
      `  /${name}@1.0.0:`,
      '    dev: false',
      '    resolution: {integrity: sha512-x}',
      '',
    ];
    const names = Array.from({ length: 800 }, (_, index) => `package-${index}`);
    const secret = credentialLines[0] as string;
    const base = Buffer.from(names.flatMap(block).join('\n'));
    const nextNames = [...names];
    nextNames.splice(100, 1);
    nextNames.splice(700, 0, 'added');
    const nextLines = nextNames.flatMap(block);
    nextLines.splice(2000, 0, secret);
    const next = Buffer.from(nextLines.join('\n'));
    const result = scanAgainst(base, next);
    expect(result.reused).toBe(true);
    expect(summary(result.matches)).toEqual(summary(scanTextBuffer(next, ruleSet).matches));
    expect(result.matches.length).toBeGreaterThan(0);
    expect(result.rescanned).toBeLessThan(next.length / 10);
  });
});
