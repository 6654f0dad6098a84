import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnvironment } from '../kernel/index.js';
import type { SignatureKind } from './commit.js';
import { keyringHolds, openPgpIssuer } from './openpgp-issuer.js';

/**
 * good: verified against a trusted key. bad: the signature does not match the content (tampered,
 * or corrupt). untrusted-key: a valid signature by a key that is not allowed for the signer.
 * unverifiable: could not be checked here (no allowed-signers file, no gpg, x509), with the reason.
 */
export type VerificationOutcome = 'good' | 'bad' | 'untrusted-key' | 'unverifiable';

export interface SignatureVerification {
  outcome: VerificationOutcome;
  reason: string;
}

interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  missing: boolean;
}

const toolTimeoutMs = 20_000;

/** Runs a program with an argument array (no shell), feeding `input`; never throws. */
function runTool(command: string, args: readonly string[], input: Buffer): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: childEnvironment(),
    });
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (result: ToolResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ code: null, stdout, stderr: `${command} timed out`, missing: false });
    }, toolTimeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < 65536) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ code: null, stdout, stderr: error.message, missing: error.code === 'ENOENT' }),
    );
    child.on('close', (code) => finish({ code, stdout, stderr, missing: false }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.slice(0, 200) ?? ''
  );
}

export interface VerifierOptions {
  /** An ssh `allowed_signers` file (absolute path); without it SSH signatures are unverifiable. */
  allowedSignersFile?: string;
  /** The gpg program; default `gpg`. */
  gpgProgram?: string;
}

/**
 * Verifies commit and tag signatures with the tools git itself uses: `ssh-keygen -Y verify`
 * against an allowed-signers file, `gpg --verify` when gpg is installed. One temporary folder
 * for signature files, removed by `close()`.
 */
export class SignatureVerifier {
  private folder: Promise<string> | undefined;
  private gpgPresent: Promise<boolean> | undefined;
  private heldKeys: Promise<Set<string> | undefined> | undefined;
  private counter = 0;

  private readonly options: VerifierOptions;

  constructor(options: VerifierOptions) {
    this.options = options;
  }

  async verify(
    kind: SignatureKind,
    armor: string,
    payload: Buffer,
    signer: string,
  ): Promise<SignatureVerification> {
    switch (kind) {
      case 'ssh':
        return this.verifySsh(armor, payload, signer);
      case 'openpgp':
        return this.verifyOpenPgp(armor, payload);
      case 'x509':
        return {
          outcome: 'unverifiable',
          reason: 'X.509 (gpgsm) signatures are not verified: their trust store is organisation-specific',
        };
      default:
        return { outcome: 'bad', reason: 'the signature is in no format git knows' };
    }
  }

  async close(): Promise<void> {
    if (this.folder) await rm(await this.folder, { recursive: true, force: true });
  }

  private async writeTemporary(content: string | Buffer): Promise<string> {
    this.folder ??= mkdtemp(join(tmpdir(), 'shipguard-signatures-'));
    // Take the number before awaiting: verifications run concurrently, and a name read after
    // the await could be another verification's, whose signature this write would replace.
    this.counter += 1;
    const name = `signature-${this.counter}`;
    const path = join(await this.folder, name);
    await writeFile(path, content, { mode: 0o600 });
    return path;
  }

  private async verifySsh(armor: string, payload: Buffer, signer: string): Promise<SignatureVerification> {
    if (!this.options.allowedSignersFile) {
      return {
        outcome: 'unverifiable',
        reason: 'no allowed-signers file: set review.allowedSignersFile in shipguard.yaml',
      };
    }
    const signatureFile = await this.writeTemporary(armor.endsWith('\n') ? armor : `${armor}\n`);
    const verified = await runTool(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        this.options.allowedSignersFile,
        '-I',
        signer || '(none)',
        '-n',
        'git',
        '-s',
        signatureFile,
      ],
      payload,
    );
    if (verified.missing) return { outcome: 'unverifiable', reason: 'ssh-keygen is not installed' };
    if (verified.code === 0)
      return { outcome: 'good', reason: firstLine(verified.stdout || verified.stderr) };
    // Tell a tampered signature from a sound one by a key that is not allowed for this signer.
    const checked = await runTool(
      'ssh-keygen',
      ['-Y', 'check-novalidate', '-n', 'git', '-s', signatureFile],
      payload,
    );
    if (checked.code === 0) {
      return {
        outcome: 'untrusted-key',
        reason: `the key is not allowed for ${signer || 'the signer'} in the allowed-signers file`,
      };
    }
    return {
      outcome: 'bad',
      reason: firstLine(verified.stderr) || 'the signature does not match the commit',
    };
  }

  /** The ids and fingerprints of every key in gpg's keyring, listed once; undefined if gpg would not list them. */
  private keyringKeys(program: string): Promise<Set<string> | undefined> {
    this.heldKeys ??= runTool(
      program,
      ['--batch', '--no-tty', '--with-colons', '--list-keys'],
      Buffer.alloc(0),
    ).then((result) => {
      if (result.code !== 0 && result.stdout.trim() !== '') return undefined;
      const keys = new Set<string>();
      for (const line of result.stdout.split('\n')) {
        const fields = line.split(':');
        if ((fields[0] === 'pub' || fields[0] === 'sub') && fields[4]) keys.add(fields[4].toUpperCase());
        if (fields[0] === 'fpr' && fields[9]) {
          keys.add(fields[9].toUpperCase());
          keys.add(fields[9].toUpperCase().slice(-16));
        }
      }
      return keys;
    });
    return this.heldKeys;
  }

  private async verifyOpenPgp(armor: string, payload: Buffer): Promise<SignatureVerification> {
    const program = this.options.gpgProgram ?? 'gpg';
    this.gpgPresent ??= runTool(program, ['--version'], Buffer.alloc(0)).then((result) => !result.missing);
    if (!(await this.gpgPresent)) {
      return {
        outcome: 'unverifiable',
        reason: `${program} is not installed, so OpenPGP signatures cannot be checked`,
      };
    }
    // A key the keyring does not hold cannot verify anything: said without starting gpg, which
    // costs a process per signed commit (seconds on a long history checked on a machine with an
    // empty keyring, as in CI). Signatures whose issuer cannot be read still go to gpg.
    const issuer = openPgpIssuer(armor);
    const held = issuer ? await this.keyringKeys(program) : undefined;
    if (issuer && held && !keyringHolds(held, issuer)) {
      return { outcome: 'unverifiable', reason: 'the signing key is not in the local keyring' };
    }
    const signatureFile = await this.writeTemporary(armor);
    const result = await runTool(
      program,
      ['--batch', '--no-tty', '--status-fd', '1', '--verify', signatureFile, '-'],
      payload,
    );
    const status = result.stdout;
    if (/^\[GNUPG:\] GOODSIG /m.test(status) && result.code === 0)
      return { outcome: 'good', reason: 'good OpenPGP signature' };
    if (/^\[GNUPG:\] BADSIG /m.test(status)) return { outcome: 'bad', reason: 'bad OpenPGP signature' };
    // A key we simply do not hold says nothing about the signature: unverifiable, not a failure.
    if (/^\[GNUPG:\] NO_PUBKEY /m.test(status)) {
      return { outcome: 'unverifiable', reason: 'the signing key is not in the local keyring' };
    }
    if (/^\[GNUPG:\] (EXPKEYSIG|REVKEYSIG) /m.test(status)) {
      return {
        outcome: 'untrusted-key',
        reason: 'the signing key has expired or was revoked',
      };
    }
    return { outcome: 'bad', reason: firstLine(result.stderr) || 'gpg could not verify the signature' };
  }
}
