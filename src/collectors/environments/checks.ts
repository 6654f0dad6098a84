import type { Evidence, Finding } from '../../kernel/index.js';
import { isProductionEnvironment } from '../../policy/index.js';
import { failed, findingOf, notApplicable, passed } from '../results.js';
import type { Check } from '../types.js';
import type { EnvironmentsFacts, JobSecrets } from './collect.js';

const productionSecretName = /(^|_)(PROD|PRODUCTION|PRD|LIVE)(_|$)/i;

function isProductionJob(entry: JobSecrets, names: readonly string[]): boolean {
  const environment = entry.job.job.environment;
  if (environment) return isProductionEnvironment(environment.name, names);
  return entry.job.production;
}

export const environmentsSeparated: Check<EnvironmentsFacts> = {
  id: 'environments/separated',
  title: 'Production is separated from development and test: own deploy jobs, secrets and hosts',
  severity: 'high',
  remediation:
    'Give production its own deploy job, environment-scoped secrets and hosts; never let a development or test job or config reach production credentials or data stores.',
  evaluate(facts, policy) {
    const names = policy.pipelines.productionEnvironments;
    const findings: Finding[] = [];
    const evidence: Evidence[] = [];
    const production = facts.jobs.filter((entry) => isProductionJob(entry, names));
    const nonProduction = facts.jobs.filter((entry) => !isProductionJob(entry, names));
    for (const entry of production) {
      const job = entry.job.job;
      evidence.push({
        kind: 'file',
        ...job.position,
        note: `production job ${job.name}${job.environment ? ` (environment ${job.environment.name})` : ''}`,
      });
    }
    for (const entry of facts.jobs) {
      const environment = entry.job.job.environment;
      if (environment && !isProductionJob(entry, names))
        evidence.push({
          kind: 'file',
          ...environment.position,
          note: `non-production environment ${environment.name}`,
        });
    }
    // Secrets a production job reads at repository level (no environment to scope them) are production secrets too.
    const sharedNames = new Set(
      production
        .filter((entry) => !entry.job.job.environment)
        .flatMap((entry) => entry.secrets.map((secret) => secret.name)),
    );
    for (const entry of nonProduction) {
      const job = entry.job.job;
      for (const secret of entry.secrets) {
        const byName = productionSecretName.test(secret.name);
        if (!byName && !sharedNames.has(secret.name)) continue;
        findings.push(
          findingOf(
            this,
            byName
              ? `non-production job ${job.name} reads the production secret ${secret.name}.`
              : `non-production job ${job.name} reads ${secret.name}, which a production deploy job also reads at repository level (confidence medium).`,
            {
              location: {
                path: secret.position.path,
                line: secret.position.line,
                column: secret.position.column,
              },
              key: `${job.pipeline}\0${job.id}\0${secret.name}`,
              remediation:
                'Scope production credentials to the production environment (environment secrets, protected variables) and give other environments their own.',
            },
          ),
        );
      }
    }
    const productionFiles = facts.configFiles.filter((file) => file.environment === 'production');
    const otherFiles = facts.configFiles.filter((file) => file.environment === 'non-production');
    for (const file of facts.configFiles)
      evidence.push({
        kind: 'file',
        path: file.path,
        note: `${file.environment} configuration (${file.token})`,
      });
    for (const other of otherFiles) {
      for (const host of other.hosts) {
        const prod = productionFiles.find((file) =>
          file.hosts.some((candidate) => candidate.value === host.value),
        );
        const namedProduction = /(^|[.-])(prod|production|prd|live)([.-]|$)/.test(host.value);
        if (!prod && !namedProduction) continue;
        findings.push(
          findingOf(
            this,
            prod
              ? `${other.path} (${other.token}) points at ${host.shown}, a host of production configuration ${prod.path}.`
              : `${other.path} (${other.token}) points at ${host.shown}, named as a production host.`,
            { location: { ...host.position }, key: `${other.path}\0host\0${host.value}` },
          ),
        );
      }
      for (const secret of other.secrets) {
        const prod = productionFiles.find((file) =>
          file.secrets.some((candidate) => candidate.value === secret.value),
        );
        if (!prod) continue;
        findings.push(
          findingOf(
            this,
            `${other.path} (${other.token}) holds the same secret value (${secret.shown}) as ${prod.path}.`,
            {
              location: { ...secret.position },
              key: `${other.path}\0secret\0${secret.value.slice(0, 16)}`,
              remediation:
                'Use a different credential per environment, kept in a secret store, and rotate the shared one.',
            },
          ),
        );
      }
    }
    if (findings.length > 0)
      return failed(
        this.id,
        `${findings.length} place(s) where non-production reaches production`,
        evidence,
        findings,
      );
    if (evidence.length === 0) {
      return notApplicable(this.id, 'no deploy environments or environment-specific configuration found', [
        {
          kind: 'absence',
          lookedFor: [
            'jobs with an environment',
            'config/<env>.*',
            '.env.<env>',
            'overlays/<env>/',
            '*.tfvars',
            'values-<env>.yaml',
          ],
          in: 'working tree',
        },
      ]);
    }
    return passed(
      this.id,
      `${production.length} production job(s) and ${facts.configFiles.length} environment config file(s): no production secret or host reached from non-production (accounts and networks are out of reach offline)`,
      evidence,
    );
  },
};
