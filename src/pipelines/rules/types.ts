import type { Severity } from '../../kernel/index.js';
import type { PipelineSet } from '../model.js';
import type { Position } from '../yaml.js';

export type Confidence = 'high' | 'medium' | 'low';

/** The collector check a rule's findings are reported under in `shipguard assess`. */
export type RuleGroup = 'no-dangerous-patterns' | 'actions-pinned' | 'least-privilege';

export interface RuleFinding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  position: Position;
  remediation: string;
  /** Stable across line moves: what the finding is about (job, step, expression). */
  key: string;
}

export interface RuleOptions {
  /** Owners whose actions count as first-party (like actions/* and github/*): unpinned is low severity. */
  trustedActionOwners: readonly string[];
}

export interface PipelineRule {
  id: string;
  title: string;
  severity: Severity;
  group: RuleGroup;
  remediation: string;
  evaluate(set: PipelineSet, options: RuleOptions): RuleFinding[];
}

export function findingOfRule(
  rule: PipelineRule,
  message: string,
  position: Position,
  key: string,
  overrides: { severity?: Severity; confidence?: Confidence; remediation?: string } = {},
): RuleFinding {
  return {
    ruleId: rule.id,
    severity: overrides.severity ?? rule.severity,
    confidence: overrides.confidence ?? 'high',
    message,
    position,
    remediation: overrides.remediation ?? rule.remediation,
    key,
  };
}
