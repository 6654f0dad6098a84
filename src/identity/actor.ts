/**
 * Who performs an action the gate or a command records (a deployment, a transition): proved by a
 * registered key signing the statement of that action, or by a CI workload's ID token minted for
 * the environment. Never a name from an argument or an environment variable.
 */
import { IdentityError } from './errors.js';
import { verifyWorkloadToken } from './oidc.js';
import type { Principal } from './principal.js';
import type { PrincipalRegistry } from './registry.js';
import { loadSigningKey, type StatementProof, signStatement } from './statements.js';

export interface ActorProofInput {
  /** A private key file (PEM or OpenSSH) registered on the protected branch. */
  keyFile?: string;
  /** A CI workload's compact ID token. */
  token?: string;
}

/**
 * Proves the actor of `statement`: a key signs it; a token is verified (for `environment`, when
 * given) and attached. Exactly one of the two is required.
 */
export async function proveActor(
  statement: Record<string, unknown>,
  input: ActorProofInput,
  registry: PrincipalRegistry,
  options: { environment?: string; at?: Date } = {},
): Promise<{ principal: Principal; proof: StatementProof }> {
  if ((input.keyFile === undefined) === (input.token === undefined)) {
    throw new IdentityError(
      'IDENTITY_TOKEN_INVALID',
      'prove who acts with exactly one of a registered signing key or a CI ID token',
    );
  }
  if (input.keyFile !== undefined) {
    return signStatement(statement, await loadSigningKey(input.keyFile), registry);
  }
  const token = (input.token ?? '').trim();
  const verified = await verifyWorkloadToken(token, registry.workloads, {
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.at === undefined ? {} : { at: options.at }),
  });
  return { principal: verified.principal, proof: { kind: 'oidc', token } };
}
