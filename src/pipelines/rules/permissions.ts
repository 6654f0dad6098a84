import type { PermissionsBlock } from '../model.js';
import { findingOfRule, type PipelineRule, type RuleFinding } from './types.js';

export const missingPermissions: PipelineRule = {
  id: 'pipelines/missing-permissions',
  title: 'A workflow job runs with the default token permissions',
  severity: 'medium',
  group: 'least-privilege',
  remediation:
    'Declare `permissions: contents: read` (or `{}`) at the top of the workflow and grant write scopes only to the jobs that need them.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const workflow of set.workflows) {
      if (workflow.permissions) continue;
      for (const job of workflow.jobs) {
        if (job.permissions) continue;
        findings.push(
          findingOfRule(
            this,
            `job ${job.id} declares no permissions and neither does the workflow: the token gets the repository default, which may be read-write.`,
            job.position,
            job.id,
          ),
        );
      }
    }
    return findings;
  },
};

function writeScopes(block: PermissionsBlock): string[] {
  return block.scopes.filter((scope) => scope.access === 'write').map((scope) => scope.scope);
}

export const excessivePermissions: PipelineRule = {
  id: 'pipelines/excessive-permissions',
  title: 'A workflow grants write-all or write scopes to every job',
  severity: 'high',
  group: 'least-privilege',
  remediation:
    'Replace `write-all` and workflow-level write scopes with `contents: read` at the top, and grant each write scope only to the job that needs it.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const workflow of set.workflows) {
      const top = workflow.permissions;
      if (top?.shorthand === 'write-all') {
        findings.push(
          findingOfRule(
            this,
            `${workflow.path} grants write-all to every job.`,
            top.position,
            'workflow\0write-all',
          ),
        );
      } else if (top) {
        const writes = writeScopes(top);
        if (writes.length > 0) {
          const position = top.scopes.find((scope) => scope.access === 'write')?.position ?? top.position;
          findings.push(
            findingOfRule(
              this,
              `${workflow.path} grants ${writes.join(', ')} write to every job at workflow level.`,
              position,
              `workflow\0${writes.join(',')}`,
              { severity: 'medium' },
            ),
          );
        }
      }
      for (const job of workflow.jobs) {
        if (job.permissions?.shorthand !== 'write-all') continue;
        findings.push(
          findingOfRule(
            this,
            `job ${job.id} grants write-all.`,
            job.permissions.position,
            `${job.id}\0write-all`,
          ),
        );
      }
    }
    return findings;
  },
};

export const secretsInherit: PipelineRule = {
  id: 'pipelines/secrets-inherit',
  title: 'All secrets are passed to a reusable workflow in another repository',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    'Pass only the secrets the called workflow needs, by name (`secrets: { token: ${{ secrets.X }} }`), and pin it to a commit SHA.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const workflow of set.workflows) {
      for (const job of workflow.jobs) {
        if (!job.secretsInherit || !job.uses || job.uses.text.startsWith('./')) continue;
        findings.push(
          findingOfRule(
            this,
            `job ${job.id} passes every secret (secrets: inherit) to ${job.uses.text}.`,
            job.secretsInherit,
            job.id,
          ),
        );
      }
    }
    return findings;
  },
};
