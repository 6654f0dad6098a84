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

export const excessivePermissions: PipelineRule = {
  id: 'pipelines/excessive-permissions',
  title: 'A workflow grants write-all, read-all or write scopes to every job',
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
      } else if (top?.shorthand === 'read-all') {
        findings.push(
          findingOfRule(
            this,
            `${workflow.path} grants read-all (every scope, security events and secrets scanning alerts included) to every job.`,
            top.position,
            'workflow\0read-all',
            { severity: 'low' },
          ),
        );
      } else if (top && workflow.jobs.length > 1) {
        // With one job, workflow-level scopes are that job's own: not broader than needed.
        for (const scope of top.scopes) {
          if (scope.access !== 'write') continue;
          findings.push(
            findingOfRule(
              this,
              `${workflow.path} grants ${scope.scope}: write to every job at workflow level.`,
              scope.position,
              `workflow\0${scope.scope}`,
              { severity: 'medium' },
            ),
          );
        }
      }
      for (const job of workflow.jobs) {
        const shorthand = job.permissions?.shorthand;
        if (!job.permissions || (shorthand !== 'write-all' && shorthand !== 'read-all')) continue;
        findings.push(
          findingOfRule(
            this,
            `job ${job.id} grants ${shorthand}.`,
            job.permissions.position,
            `${job.id}\0${shorthand}`,
            shorthand === 'read-all' ? { severity: 'low' } : {},
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
