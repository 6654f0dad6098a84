import { describe, expect, it } from 'vitest';
import { ChangeError } from '../changes/index.js';
import { UsageError } from '../cli/index.js';
import { LedgerError } from '../ledger/index.js';
import { PolicyError } from '../policy/index.js';
import {
  isVerificationRefusal,
  ProvenanceError,
  TrustPolicyError,
  VerificationError,
} from '../provenance/index.js';
import { SecretsError } from '../secrets/index.js';
import { StoreError } from '../store/index.js';
import { errorOfKind, exitCodeOf, ShipguardError } from './errors.js';
import { GitError } from './git.js';
import { RepositoryError } from './repository.js';
import { InputFileError } from './safe-read.js';

describe('error kinds and exit codes', () => {
  it.each([
    [new UsageError('USAGE_INVALID_OPTION', 'x'), 'usage', 2],
    [new PolicyError('POLICY_UNKNOWN_KEY', 'x'), 'config', 2],
    [new RepositoryError('REPOSITORY_NOT_FOUND', 'x'), 'usage', 2],
    [new StoreError('STORE_INVALID_LOCATION', 'x'), 'usage', 2],
    [new StoreError('STORE_CORRUPT', 'x'), 'internal', 3],
    [new SecretsError('SECRETS_CONFIG_INVALID', 'x'), 'config', 2],
    [new SecretsError('SECRETS_WORKER_FAILED', 'x'), 'internal', 3],
    [new ProvenanceError('KEY_INVALID', 'x'), 'config', 2],
    [new ProvenanceError('KEY_EXISTS', 'x'), 'usage', 2],
    [new ProvenanceError('ENVELOPE_MALFORMED', 'x'), 'rejected', 1],
    [new VerificationError('SIGNATURE_INVALID', 'x'), 'rejected', 1],
    [new TrustPolicyError('BUILDER_MISMATCH', 'x'), 'rejected', 1],
    [new ChangeError('CHANGE_SEPARATION_OF_DUTIES', 'x'), 'rejected', 1],
    [new LedgerError('LEDGER_TAMPERED', 'x'), 'rejected', 1],
    [new LedgerError('LEDGER_OUT_OF_RANGE', 'x'), 'usage', 2],
    [new GitError('GIT_TIMEOUT', 'x'), 'internal', 3],
    [new InputFileError('INPUT_FILE_TOO_LARGE', 'x'), 'usage', 2],
    [new ShipguardError('ANYTHING', 'x'), 'internal', 3],
  ] as const)('%o is %s (exit %i)', (error, kind, exitCode) => {
    expect(error.kind).toBe(kind);
    expect(error.exitCode).toBe(exitCode);
    expect(exitCodeOf(error)).toBe(exitCode);
  });

  it('gives every code of a one-kind area that kind, and keeps the code', () => {
    class OneKindError extends errorOfKind<'ONE_A' | 'ONE_B'>('config') {}
    const error = new OneKindError('ONE_B', 'x');
    expect([error.code, error.kind, error.exitCode]).toEqual(['ONE_B', 'config', 2]);
    expect(error).toBeInstanceOf(ShipguardError);
  });

  it('maps anything that is not a ShipguardError to an internal error (exit 3)', () => {
    expect(exitCodeOf(new Error('boom'))).toBe(3);
    expect(exitCodeOf('a string')).toBe(3);
  });

  it('tells a refusal the signer could cause from input that cannot be judged', () => {
    expect(isVerificationRefusal(new VerificationError('SUBJECT_DIGEST_MISMATCH', 'x'))).toBe(true);
    expect(isVerificationRefusal(new TrustPolicyError('SOURCE_MISMATCH', 'x'))).toBe(true);
    expect(isVerificationRefusal(new ProvenanceError('ENVELOPE_MALFORMED', 'x'))).toBe(false);
    expect(isVerificationRefusal(new ProvenanceError('KEY_INVALID', 'x'))).toBe(false);
    expect(new VerificationError('SIGNATURE_INVALID', 'x')).toBeInstanceOf(ProvenanceError);
  });
});
