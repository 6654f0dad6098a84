import type { PipelineSet } from '../model.js';
import { curlPipeShell, hardcodedCredential } from './commands.js';
import { spoofableBotCondition } from './conditions.js';
import { githubEnvInjection, insecureCommands, overProvisionedSecrets } from './environment.js';
import { cachePoisoning, credentialPersistence, dangerousTrigger, obfuscation } from './hardening.js';
import { secretInLog, untrustedInputInScript } from './injection.js';
import { excessivePermissions, missingPermissions, secretsInherit } from './permissions.js';
import { unpinnedAction, unpinnedImage } from './pinning.js';
import { artifactTrustBoundary, selfHostedOnForkTrigger, untrustedCheckout } from './triggers.js';
import type { PipelineRule, RuleFinding, RuleOptions } from './types.js';

export type { Confidence, PipelineRule, RuleFinding, RuleGroup, RuleOptions } from './types.js';

/** Every pipeline rule, in the order reports list them. */
export const pipelineRules: readonly PipelineRule[] = [
  untrustedInputInScript,
  untrustedCheckout,
  dangerousTrigger,
  artifactTrustBoundary,
  credentialPersistence,
  cachePoisoning,
  obfuscation,
  selfHostedOnForkTrigger,
  secretsInherit,
  overProvisionedSecrets,
  insecureCommands,
  spoofableBotCondition,
  githubEnvInjection,
  secretInLog,
  hardcodedCredential,
  curlPipeShell,
  unpinnedAction,
  unpinnedImage,
  missingPermissions,
  excessivePermissions,
];

export const defaultRuleOptions: RuleOptions = { trustedActionOwners: [] };

/** Runs every rule; findings sorted by file, line and column. */
export function evaluatePipelineRules(
  set: PipelineSet,
  options: RuleOptions = defaultRuleOptions,
): RuleFinding[] {
  const findings = pipelineRules.flatMap((rule) => rule.evaluate(set, options));
  return findings.sort(
    (a, b) =>
      a.position.path.localeCompare(b.position.path) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
export { looksLikeCredential } from './commands.js';
