/**
 * The principal registry: who may sign, read from the protected default branch (never from the
 * working tree, which the party being judged can edit). Keys come from the policy's
 * `principals.keys` (PEM public key files) and `principals.allowedSigners` (OpenSSH format), both
 * read with `git cat-file` at the protected ref.
 */
import type { KeyObject } from 'node:crypto';
import { runGit } from '../kernel/index.js';
import type { PrincipalSettings, WorkloadRule } from '../policy/index.js';
import { keyIdOf, keyTypeOf, parsePublicKey } from '../provenance/index.js';
import { IdentityError } from './errors.js';
import { normaliseName } from './names.js';
import { keyPrincipalId, type Principal } from './principal.js';
import { parseAllowedSigners } from './ssh-keys.js';

export interface RegisteredKey {
  principal: Principal;
  publicKey: KeyObject;
  /** Hex SHA-256 of the SPKI DER (the same id `shipguard keys` prints). */
  keyId: string;
  /** Where it was registered: `<ref>:<path>[:line]`. */
  source: string;
}

export interface PrincipalRegistry {
  /** By key id. */
  keys: ReadonlyMap<string, RegisteredKey>;
  workloads: readonly WorkloadRule[];
  /** Entries that were not taken, with why. */
  problems: string[];
}

export interface KeyRegistration {
  name: string;
  emails?: readonly string[];
  publicKey: KeyObject;
  source: string;
}

/** Builds a registry; one key registered under two different names is refused (ambiguous). */
export function createRegistry(
  registrations: readonly KeyRegistration[],
  workloads: readonly WorkloadRule[] = [],
  problems: string[] = [],
): PrincipalRegistry {
  const keys = new Map<string, RegisteredKey>();
  for (const registration of registrations) {
    keyTypeOf(registration.publicKey);
    const keyId = keyIdOf(registration.publicKey);
    const name = normaliseName(registration.name);
    if (name === '') {
      throw new IdentityError(
        'IDENTITY_REGISTRY_INVALID',
        `${registration.source}: a key is registered without a name`,
      );
    }
    const existing = keys.get(keyId);
    if (existing && existing.principal.name !== name) {
      throw new IdentityError(
        'IDENTITY_REGISTRY_INVALID',
        `${registration.source}: key ${keyId.slice(0, 16)} is already registered to ${existing.principal.name} (${existing.source})`,
      );
    }
    const emails = [...new Set([...(existing?.principal.emails ?? []), ...(registration.emails ?? [])])]
      .map((email) => normaliseName(email).toLowerCase())
      .filter((email) => email.includes('@'));
    keys.set(keyId, {
      principal: { id: keyPrincipalId(keyId), kind: 'key', name, emails },
      publicKey: registration.publicKey,
      keyId,
      source: existing?.source ?? registration.source,
    });
  }
  return { keys, workloads, problems };
}

const maxRegistryFileBytes = 1024 * 1024;
const refPattern = /^(?!.*\.\.)(?!-)[A-Za-z0-9._/-]{1,255}$/;
const pathPattern = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\0:]{1,4096}$/;

/** A file's bytes at a ref (`git cat-file blob <ref>:<path>`), bounded. */
export async function readFileAtRef(root: string, ref: string, path: string): Promise<Buffer> {
  if (!refPattern.test(ref))
    throw new IdentityError('IDENTITY_REGISTRY_INVALID', `invalid ref ${ref.slice(0, 80)}`);
  const clean = path.replace(/^\.\//, '');
  if (!pathPattern.test(clean)) {
    throw new IdentityError(
      'IDENTITY_REGISTRY_INVALID',
      `${path.slice(0, 200)} is not a path inside the repository`,
    );
  }
  try {
    return await runGit(root, ['cat-file', 'blob', `${ref}:${clean}`], {
      maxOutputBytes: maxRegistryFileBytes,
      timeoutMs: 10_000,
    });
  } catch (error) {
    throw new IdentityError(
      'IDENTITY_REGISTRY_INVALID',
      `cannot read ${clean} on ${ref} (the protected branch)`,
      {
        cause: error,
        location: { path: clean },
      },
    );
  }
}

/**
 * Reads the registry the protected branch's policy describes, every file from that branch.
 * `readFile` reads a path at `ref` (default: one `git cat-file` each); a caller that already reads
 * that commit's files (the gate) passes its own, so the key files are read in one batch.
 */
export async function loadPrincipalRegistry(
  root: string,
  settings: PrincipalSettings,
  ref: string,
  readFile: (path: string) => Promise<Buffer> = (path) => readFileAtRef(root, ref, path),
): Promise<PrincipalRegistry> {
  const registrations: KeyRegistration[] = [];
  const problems: string[] = [];
  const keyTexts = await Promise.all(settings.keys.map((entry) => readFile(entry.publicKey)));
  for (const [index, entry] of settings.keys.entries()) {
    const text = (keyTexts[index] ?? Buffer.alloc(0)).toString('utf8');
    registrations.push({
      name: entry.name,
      emails: entry.emails,
      publicKey: parsePublicKey(text, entry.publicKey),
      source: `${ref}:${entry.publicKey}`,
    });
  }
  if (settings.allowedSigners !== undefined) {
    const path = settings.allowedSigners;
    const parsed = parseAllowedSigners((await readFile(path)).toString('utf8'), path);
    for (const skipped of parsed.skipped) problems.push(`${path}:${skipped.line}: ${skipped.reason}`);
    for (const signer of parsed.signers) {
      registrations.push({
        name: signer.principals[0] ?? '',
        emails: signer.principals.filter((item) => item.includes('@')),
        publicKey: signer.publicKey,
        source: `${ref}:${path}:${signer.line}`,
      });
    }
  }
  return createRegistry(registrations, settings.workloads, problems);
}

/** The registered principal holding this key, or IDENTITY_KEY_UNREGISTERED. */
export function principalOfKey(registry: PrincipalRegistry, keyId: string): RegisteredKey {
  const found = registry.keys.get(keyId);
  if (!found) {
    throw new IdentityError(
      'IDENTITY_KEY_UNREGISTERED',
      `key ${keyId.slice(0, 16)}… is not registered on the protected branch (principals.keys or principals.allowedSigners)`,
    );
  }
  return found;
}
