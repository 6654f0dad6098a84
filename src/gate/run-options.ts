/** What a gate run is asked (the CLI's options, or a dry run's what-if), and the environment's settings. */
import type { ActorProofInput } from '../identity/index.js';
import { type GateEnvironment, gateEnvironmentSettings, isProductionEnvironment } from '../policy/index.js';
import type { PolicySource } from './protected-policy.js';

export interface GateRunOptions {
  /** Absolute path of the repository root. */
  repositoryRoot: string;
  /** A file, or `sha256:<64 hex>`. */
  artifact: string;
  environment: string;
  attestation?: string;
  change?: string;
  /** The SBOM file; it counts only when the verified provenance attests its digest. */
  sbom?: string;
  /** DSSE envelopes holding VEX documents, signed by keys trusted for the product. */
  vex: readonly string[];
  /** Who deploys, as declared (--deployer, the CI's actor): for display only. */
  deployer: string;
  /** Proof of who deploys (a registered key signs the deployment, or a CI ID token); none: declared. */
  deployerProof?: ActorProofInput;
  /** The time of a real decision (now). */
  now: Date;
  /** The protected branch ref to read the policy from (default: the target of origin/HEAD). */
  protectedRef?: string;
  /** What-if inputs: present only for a dry run, which is never a decision. */
  whatIf?: { at?: Date; policyFile?: string; keys?: readonly string[] };
}

/** The environment's settings from the policy; an environment not configured gets the defaults. */
export function environmentSettings(source: PolicySource, name: string): GateEnvironment {
  return gateEnvironmentSettings(source.loaded.policy, name);
}

/** The environment as the gate judges it: its settings, and whether the policy names it production. */
export function environmentOf(source: PolicySource, name: string) {
  const production = isProductionEnvironment(name, source.loaded.policy.pipelines.productionEnvironments);
  return { name, settings: environmentSettings(source, name), production };
}
