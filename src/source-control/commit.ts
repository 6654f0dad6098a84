import { SourceControlError } from './errors.js';

export interface Identity {
  name: string;
  email: string;
}

export interface Signature {
  /** The header it came from: `gpgsig` (SHA-1 repositories) or `gpgsig-sha256`. */
  header: string;
  kind: SignatureKind;
  /** The armoured signature, continuation spaces removed. */
  armor: string;
}

export type SignatureKind = 'ssh' | 'openpgp' | 'x509' | 'unrecognised';

export interface ParsedCommit {
  oid: string;
  tree: string;
  parents: string[];
  author: Identity;
  /** Author time, seconds since the epoch. */
  authorTime: number;
  committer: Identity;
  committerTime: number;
  signature?: Signature;
  /** Signed tags merged by this commit (`mergetag` headers), as tag object text. */
  mergeTags: string[];
  message: string;
}

/** Messages longer than this are cut when parsed (trailers are looked for in what is kept). */
const maxMessageBytes = 256 * 1024;

/**
 * Parses a raw commit object (what `git cat-file --batch` prints): header lines, multi-line
 * headers continued by lines starting with a space, a blank line, then the message.
 */
export function parseCommit(oid: string, raw: Buffer): ParsedCommit {
  const headerEnd = raw.indexOf('\n\n');
  const headerText = raw.subarray(0, headerEnd === -1 ? raw.length : headerEnd).toString('utf8');
  const messageBytes = headerEnd === -1 ? Buffer.alloc(0) : raw.subarray(headerEnd + 2);
  const message = messageBytes.subarray(0, maxMessageBytes).toString('utf8');
  let tree: string | undefined;
  const parents: string[] = [];
  let author: { identity: Identity; time: number } | undefined;
  let committer: { identity: Identity; time: number } | undefined;
  let signature: Signature | undefined;
  const mergeTags: string[] = [];
  for (const { name, value } of readHeaders(headerText)) {
    switch (name) {
      case 'tree':
        tree = value;
        break;
      case 'parent':
        parents.push(value);
        break;
      case 'author':
        author = parseIdentityLine(value);
        break;
      case 'committer':
        committer = parseIdentityLine(value);
        break;
      case 'gpgsig':
      case 'gpgsig-sha256':
        // The first signature header wins; a second one is a SHA-256 transition signature.
        signature ??= { header: name, kind: classifySignature(value), armor: value };
        break;
      case 'mergetag':
        mergeTags.push(value);
        break;
    }
  }
  if (!tree || !author || !committer) {
    throw new SourceControlError(
      'SOURCE_CONTROL_OBJECT_CORRUPT',
      `commit ${oid} lacks a ${!tree ? 'tree' : !author ? 'author' : 'committer'} header`,
      { location: { path: oid } },
    );
  }
  const commit: ParsedCommit = {
    oid,
    tree,
    parents,
    author: author.identity,
    authorTime: author.time,
    committer: committer.identity,
    committerTime: committer.time,
    mergeTags,
    message,
  };
  if (signature) commit.signature = signature;
  return commit;
}

/** Header lines with continuation lines (leading space) joined by newlines. */
export function readHeaders(text: string): { name: string; value: string }[] {
  const headers: { name: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    const last = headers[headers.length - 1];
    if (line.startsWith(' ') && last) {
      last.value += `\n${line.slice(1)}`;
      continue;
    }
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    headers.push({ name: line.slice(0, space), value: line.slice(space + 1) });
  }
  return headers;
}

/** `Name <email> 1700000000 +0000`. A malformed line keeps what can be read. */
export function parseIdentityLine(value: string): { identity: Identity; time: number } {
  const open = value.lastIndexOf('<');
  const close = value.lastIndexOf('>');
  if (open === -1 || close < open) return { identity: { name: value.trim(), email: '' }, time: 0 };
  const name = value.slice(0, open).trim();
  const email = value.slice(open + 1, close).trim();
  const time = Number(
    value
      .slice(close + 1)
      .trim()
      .split(' ')[0],
  );
  return { identity: { name, email }, time: Number.isFinite(time) ? time : 0 };
}

export function classifySignature(armor: string): SignatureKind {
  if (armor.startsWith('-----BEGIN SSH SIGNATURE-----')) return 'ssh';
  if (armor.startsWith('-----BEGIN PGP SIGNATURE-----')) return 'openpgp';
  if (armor.startsWith('-----BEGIN SIGNED MESSAGE-----')) return 'x509';
  return 'unrecognised';
}

/**
 * What a commit signature signs: the raw object without its signature headers (and their
 * continuation lines). Git removes both `gpgsig` and `gpgsig-sha256`.
 */
export function signedPayload(raw: Buffer): Buffer {
  const headerEnd = raw.indexOf('\n\n');
  const end = headerEnd === -1 ? raw.length : headerEnd + 1;
  const kept: Buffer[] = [];
  let start = 0;
  let skipping = false;
  while (start < end) {
    const newline = raw.indexOf(10, start);
    const lineEnd = newline === -1 || newline >= end ? end : newline + 1;
    const line = raw.subarray(start, lineEnd);
    const continuation = line[0] === 0x20;
    if (!continuation) {
      skipping =
        line.subarray(0, 7).toString() === 'gpgsig ' || line.subarray(0, 14).toString() === 'gpgsig-sha256 ';
    }
    if (!skipping) kept.push(line);
    start = lineEnd;
  }
  kept.push(raw.subarray(end));
  return Buffer.concat(kept);
}

export interface TagSignature {
  kind: SignatureKind;
  armor: string;
  payload: Buffer;
}

/** A signed tag carries its signature at the end of the message; the payload is what precedes it. */
export function splitTagSignature(raw: Buffer): TagSignature | undefined {
  const text = raw.toString('latin1');
  for (const marker of [
    '-----BEGIN SSH SIGNATURE-----',
    '-----BEGIN PGP SIGNATURE-----',
    '-----BEGIN SIGNED MESSAGE-----',
  ]) {
    const at = text.lastIndexOf(`\n${marker}`);
    if (at !== -1) {
      return {
        kind: classifySignature(marker),
        armor: text.slice(at + 1),
        payload: raw.subarray(0, at + 1),
      };
    }
  }
  return undefined;
}

/** Reads `tagger` and `object` from a tag object. */
export function parseTagHeaders(raw: Buffer): {
  object?: string;
  type?: string;
  tag?: string;
  tagger?: Identity;
  taggerTime?: number;
} {
  const headerEnd = raw.indexOf('\n\n');
  const text = raw.subarray(0, headerEnd === -1 ? raw.length : headerEnd).toString('utf8');
  const result: { object?: string; type?: string; tag?: string; tagger?: Identity; taggerTime?: number } = {};
  for (const { name, value } of readHeaders(text)) {
    if (name === 'object') result.object = value;
    else if (name === 'type') result.type = value;
    else if (name === 'tag') result.tag = value;
    else if (name === 'tagger') {
      const parsed = parseIdentityLine(value);
      result.tagger = parsed.identity;
      result.taggerTime = parsed.time;
    }
  }
  return result;
}
