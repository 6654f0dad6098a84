import { GateEnvironment, type Policy } from './schema.js';

/**
 * Which environments count as production: the one rule the gate, the pipeline evidence, the
 * deployment review and the environments collector share. Counting too many as production only
 * asks for more evidence; counting too few lets a production deploy skip its checks, so the rule
 * leans wide: any name with a production word in it, unless a word says it is not production.
 */

const productionWords = new Set(['prod', 'production', 'prd', 'live']);
/** `pre-prod`, `non-production`, `not-live`: a production word, qualified away. */
const negatingWords = new Set(['pre', 'non', 'not']);

/** The words of an environment name: `Prod-EU`, `eu.prod`, `prod_2` -> prod, eu, 2. */
function wordsOf(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[-_ ./]+/)
    .filter((word) => word !== '');
}

/**
 * Whether deploying to `name` is deploying to production: a word of the name is prod,
 * production, prd or live and no word is pre, non or not; or the policy names it
 * (`productionEnvironments`, compared without case).
 */
export function isProductionEnvironment(name: string, policyNames: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  if (policyNames.some((extra) => extra.toLowerCase() === lower)) return true;
  const words = wordsOf(name);
  if (words.some((word) => negatingWords.has(word))) return false;
  return words.some((word) => productionWords.has(word));
}

/**
 * The gate's settings for environment `name`; one the policy does not configure gets the defaults.
 * Only the policy's own keys count: `--env __proto__` or `constructor` names no settings.
 */
export function gateEnvironmentSettings(policy: Policy, name: string): GateEnvironment {
  const environments = policy.gate.environments;
  return (Object.hasOwn(environments, name) ? environments[name] : undefined) ?? GateEnvironment.parse({});
}
