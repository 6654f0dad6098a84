import { type ActorProofInput, type PrincipalRegistry, proveActor } from '../identity/index.js';
import type { DeployerProof } from './decide.js';

/** Who runs the gate: --deployer, else the CI's actor, else the OS user. */
export function resolveDeployer(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  osUser: () => string,
): string {
  for (const candidate of [given, env['GITHUB_ACTOR'], env['GITLAB_USER_LOGIN']]) {
    if (candidate !== undefined && candidate.trim() !== '') return candidate.trim().slice(0, 200);
  }
  return osUser();
}

/** What the deployer signs (or the CI token vouches for): this deployment, now. */
export function deploymentStatement(use: { environment: string; artifact: string; at: Date }) {
  return {
    type: 'https://shipguard.dev/deployment/v1',
    environment: use.environment,
    artifact: use.artifact,
    at: use.at.toISOString(),
  };
}

/**
 * Proves who deploys: a key registered on the protected branch signs the deployment statement,
 * or a CI workload's ID token minted for the environment is verified. Throws when the proof fails.
 */
export async function proveDeployer(
  input: ActorProofInput,
  registry: PrincipalRegistry,
  use: { environment: string; artifact: string; at: Date },
): Promise<DeployerProof> {
  const statement = deploymentStatement(use);
  const { principal, proof } = await proveActor(statement, input, registry, { environment: use.environment });
  return { principal, statement, proof };
}
