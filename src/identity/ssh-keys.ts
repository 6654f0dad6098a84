/**
 * SSH public keys (`ssh-ed25519`, `ecdsa-sha2-nistp256`), OpenSSH `allowed_signers` files and
 * unencrypted OpenSSH private keys, turned into node:crypto keys. Only the two key types shipguard
 * signs with; anything else is reported, never silently taken. The wire format is RFC 4251 §5.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { IdentityError } from './errors.js';

class WireReader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}

  string(): Buffer {
    if (this.offset + 4 > this.bytes.length) throw new Error('truncated');
    const length = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    if (length > this.bytes.length - this.offset) throw new Error('truncated');
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new Error('truncated');
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
}

const sshKeyTypes = ['ssh-ed25519', 'ecdsa-sha2-nistp256'] as const;

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function ed25519Jwk(publicKey: Buffer, seed?: Buffer) {
  if (publicKey.length !== 32) throw new Error('an Ed25519 key is 32 bytes');
  return { kty: 'OKP', crv: 'Ed25519', x: base64url(publicKey), ...(seed ? { d: base64url(seed) } : {}) };
}

function p256Jwk(point: Buffer, scalar?: Buffer) {
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('a P-256 point is 65 bytes, uncompressed');
  const d = scalar ? Buffer.concat([Buffer.alloc(32), scalar.subarray(scalar[0] === 0 ? 1 : 0)]) : undefined;
  return {
    kty: 'EC',
    crv: 'P-256',
    x: base64url(point.subarray(1, 33)),
    y: base64url(point.subarray(33, 65)),
    ...(d ? { d: base64url(d.subarray(d.length - 32)) } : {}),
  };
}

/** An SSH public key blob (the base64 part of an authorized key line) as a node:crypto key. */
export function parseSshPublicKeyBlob(blob: Buffer): KeyObject {
  const reader = new WireReader(blob);
  const type = reader.string().toString('latin1');
  if (type === 'ssh-ed25519') return createPublicKey({ key: ed25519Jwk(reader.string()), format: 'jwk' });
  if (type === 'ecdsa-sha2-nistp256') {
    if (reader.string().toString('latin1') !== 'nistp256') throw new Error('curve is not nistp256');
    return createPublicKey({ key: p256Jwk(reader.string()), format: 'jwk' });
  }
  throw new Error(
    `unsupported SSH key type ${type.slice(0, 40)} (shipguard takes ${sshKeyTypes.join(', ')})`,
  );
}

export interface AllowedSigner {
  /** The principals (usually e-mail addresses) of the line, normalised to lower case. */
  principals: string[];
  publicKey: KeyObject;
  line: number;
}

export interface AllowedSignersFile {
  signers: AllowedSigner[];
  /** Lines that were not taken, with why (shown to the user: nothing is dropped silently). */
  skipped: Array<{ line: number; reason: string }>;
}

const maxAllowedSignersBytes = 1024 * 1024;

/**
 * An OpenSSH allowed_signers file: `principals [options] keytype base64-key [comment]`. Lines
 * with `cert-authority` or a `namespaces=` list without `shipguard` are skipped (a CA or a key
 * meant for something else is not a shipguard principal).
 */
export function parseAllowedSigners(text: string, path: string): AllowedSignersFile {
  if (Buffer.byteLength(text) > maxAllowedSignersBytes) {
    throw new IdentityError(
      'IDENTITY_REGISTRY_INVALID',
      `${path} is larger than ${maxAllowedSignersBytes} bytes`,
      {
        location: { path },
      },
    );
  }
  const result: AllowedSignersFile = { signers: [], skipped: [] };
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = tokenize(line);
    const typeAt = tokens.findIndex((token) => (sshKeyTypes as readonly string[]).includes(token));
    if (typeAt < 1) {
      result.skipped.push({ line: index + 1, reason: 'no ssh-ed25519 or ecdsa-sha2-nistp256 key' });
      continue;
    }
    const options = tokens.slice(1, typeAt).join(' ').toLowerCase();
    if (options.includes('cert-authority')) {
      result.skipped.push({ line: index + 1, reason: 'certificate authorities are not taken' });
      continue;
    }
    const namespaces = /namespaces="([^"]*)"/.exec(options)?.[1];
    if (namespaces !== undefined && !namespaces.split(',').includes('shipguard')) {
      result.skipped.push({
        line: index + 1,
        reason: `namespaces="${namespaces}" does not include shipguard`,
      });
      continue;
    }
    try {
      const publicKey = parseSshPublicKeyBlob(Buffer.from(tokens[typeAt + 1] ?? '', 'base64'));
      const principals = (tokens[0] ?? '')
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter((item) => item !== '' && !item.includes('*') && !item.includes('?'));
      if (principals.length === 0) throw new Error('no principal (patterns are not taken)');
      result.signers.push({ principals, publicKey, line: index + 1 });
    } catch (error) {
      result.skipped.push({
        line: index + 1,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return result;
}

/** Splits on white space outside double quotes. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    if (!quoted && /\s/.test(char)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else current += char;
  }
  if (current !== '') tokens.push(current);
  return tokens;
}

const opensshMagic = Buffer.from('openssh-key-v1\0', 'latin1');

/** An unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`) of a supported type. */
export function parseOpenSshPrivateKey(pem: string, path: string): KeyObject {
  const body = pem
    .replace(/-----BEGIN OPENSSH PRIVATE KEY-----/, '')
    .replace(/-----END OPENSSH PRIVATE KEY-----/, '')
    .replace(/\s+/g, '');
  const bytes = Buffer.from(body, 'base64');
  const fail = (reason: string): never => {
    throw new IdentityError('IDENTITY_REGISTRY_INVALID', `${path}: ${reason}`, { location: { path } });
  };
  if (!bytes.subarray(0, opensshMagic.length).equals(opensshMagic)) fail('not an OpenSSH private key');
  try {
    const reader = new WireReader(bytes.subarray(opensshMagic.length));
    const cipher = reader.string().toString('latin1');
    reader.string(); // kdf name
    reader.string(); // kdf options
    if (cipher !== 'none')
      fail('the key is encrypted; shipguard reads unencrypted keys (use an agent-free CI secret)');
    if (reader.uint32() !== 1) fail('the file holds more than one key');
    reader.string(); // public key blob
    const secret = new WireReader(reader.string());
    const check = secret.uint32();
    if (check !== secret.uint32()) fail('the key file is corrupt (check bytes differ)');
    const type = secret.string().toString('latin1');
    if (type === 'ssh-ed25519') {
      const publicKey = secret.string();
      const privateKey = secret.string();
      return createPrivateKey({ key: ed25519Jwk(publicKey, privateKey.subarray(0, 32)), format: 'jwk' });
    }
    if (type === 'ecdsa-sha2-nistp256') {
      secret.string(); // curve name
      const point = secret.string();
      const scalar = secret.string();
      return createPrivateKey({ key: p256Jwk(point, scalar), format: 'jwk' });
    }
    return fail(`unsupported key type ${type.slice(0, 40)}`);
  } catch (error) {
    if (error instanceof IdentityError) throw error;
    return fail(`not a readable OpenSSH private key (${error instanceof Error ? error.message : 'corrupt'})`);
  }
}
