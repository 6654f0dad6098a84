import type { YamlScalar } from '../yaml.js';
import { positionWithin } from '../yaml.js';
import { triggersOf } from './steps.js';
import { findingOfRule, type PipelineRule, type RuleFinding } from './types.js';

/**
 * `github.actor == 'dependabot[bot]'` and the like (either side, `github['actor']`, any casing, or
 * `github.actor_id` against a number): the actor is who triggered the run last.
 */
const actorContext = String.raw`\bgithub(?:\.(?:actor|triggering_actor)|\[\s*'(?:actor|triggering_actor)'\s*\])`;
const actorIdContext = String.raw`\bgithub(?:\.actor_id|\[\s*'actor_id'\s*\])`;
const botName = String.raw`['"][A-Za-z0-9_-]{1,100}\[bot\]['"]`;
const botCondition = new RegExp(
  [
    String.raw`${actorContext}\s*==\s*${botName}`,
    String.raw`${botName}\s*==\s*${actorContext}`,
    String.raw`${actorIdContext}\s*==\s*['"]?\d{1,12}['"]?`,
    String.raw`['"]?\d{1,12}['"]?\s*==\s*${actorIdContext}`,
  ].join('|'),
  'i',
);
/** Triggers where someone else can make the run happen with a bot as the recorded actor. */
const spoofableTriggers = ['pull_request_target', 'workflow_run', 'issue_comment', 'pull_request_review'];

export const spoofableBotCondition: PipelineRule = {
  id: 'pipelines/bot-condition',
  title: 'A privileged job trusts the run because github.actor is a bot',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    "Check what the bot did, not who triggered the run: test `github.event.pull_request.user.login == 'dependabot[bot]'` (the author of the pull request) and the head repository, or use the bot's own metadata action; github.actor is whoever triggered the latest event, such as a contributor who re-ran or pushed to a bot's branch.",
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const workflow of set.workflows) {
      const triggers = triggersOf(workflow);
      const trigger = spoofableTriggers.find((event) => triggers.has(event));
      if (!trigger) continue;
      for (const job of workflow.jobs) {
        const conditions: Array<[string, YamlScalar]> = [];
        if (job.if) conditions.push([`job ${job.id}`, job.if]);
        for (const step of job.steps)
          if (step.if) conditions.push([`job ${job.id} step ${step.index + 1}`, step.if]);
        for (const [where, condition] of conditions) {
          const match = botCondition.exec(condition.text);
          if (!match) continue;
          findings.push(
            findingOfRule(
              this,
              `${where} runs when ${match[0]} in a workflow run by ${trigger}: the actor can be a bot while a contributor supplied the code.`,
              positionWithin(condition, match[0]),
              `${where}\0bot-condition`,
            ),
          );
        }
      }
    }
    return findings;
  },
};
