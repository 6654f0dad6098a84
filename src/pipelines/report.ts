import { artifactUri, type Severity, sarifSchemaUri, severityRank, toolVersion } from '../kernel/index.js';
import { type Activity, describePipeline } from './evidence.js';
import type { CiSystem, PipelineSet } from './model.js';
import { evaluatePipelineRules, pipelineRules, type RuleFinding, type RuleOptions } from './rules/index.js';
import type { Position } from './yaml.js';

export interface JobReport {
  id: string;
  name: string;
  location: Position;
  does: { kind: Activity['kind']; tool: string }[];
  environment?: string;
  deploys: boolean;
  production: boolean;
  needs: string[];
  /** For deploy jobs: what stands in front of them. */
  gates?: {
    tests: string | null;
    scans: string[];
    approval: string | null;
    refRestriction: string | null;
    upstream: string[];
  };
}

export interface PipelineReport {
  schemaVersion: 1;
  pipelines: { system: CiSystem; path: string; files: string[]; stages: string[]; jobs: JobReport[] }[];
  findings: RuleFinding[];
  errors: { code: string; message: string; location?: { path: string; line?: number; column?: number } }[];
}

export function buildPipelineReport(
  set: PipelineSet,
  options: RuleOptions & { productionEnvironments: readonly string[] },
): PipelineReport {
  const pipelines = set.pipelines.map((pipeline) => {
    const evidence = describePipeline(pipeline, options.productionEnvironments);
    const jobs = evidence.jobs.map((job): JobReport => {
      const report: JobReport = {
        id: job.job.id,
        name: job.job.name,
        location: job.job.position,
        does: job.activities.map((activity) => ({ kind: activity.kind, tool: activity.tool })),
        deploys: job.deploys,
        production: job.production,
        needs: job.job.needs,
      };
      if (job.job.environment) report.environment = job.job.environment.name;
      const gate = evidence.deployGates.find((candidate) => candidate.job === job);
      if (gate) {
        report.gates = {
          tests: gate.tests ? `${gate.tests.tool} in ${gate.tests.job}` : null,
          scans: gate.scans.map((scan) => `${scan.tool} in ${scan.job}`),
          approval: gate.approval
            ? gate.approval.kind === 'environment'
              ? 'environment (protection rules on the forge: unknown offline)'
              : 'manual job'
            : null,
          refRestriction: gate.refRestriction?.text ?? null,
          upstream: gate.upstream,
        };
      }
      return report;
    });
    return {
      system: pipeline.system,
      path: pipeline.path,
      files: pipeline.files,
      stages: pipeline.stages,
      jobs,
    };
  });
  return {
    schemaVersion: 1,
    pipelines,
    findings: evaluatePipelineRules(set, options),
    errors: set.errors.map((error) => {
      const entry: PipelineReport['errors'][number] = { code: error.code, message: error.message };
      if (error.location) entry.location = { ...error.location };
      return entry;
    }),
  };
}

export function findingsAtOrAbove(report: PipelineReport, failOn: Severity | 'none'): RuleFinding[] {
  if (failOn === 'none') return [];
  return report.findings.filter((finding) => severityRank(finding.severity) >= severityRank(failOn));
}

function at(position: { path: string; line?: number; column?: number }): string {
  return [position.path, position.line, position.column].filter((part) => part !== undefined).join(':');
}

export function renderPipelineTable(report: PipelineReport): string {
  const lines: string[] = [];
  if (report.pipelines.length === 0) lines.push('No pipelines found.');
  for (const pipeline of report.pipelines) {
    lines.push(
      `${pipeline.system}  ${pipeline.path}${pipeline.files.length > 1 ? ` (+${pipeline.files.length - 1} included)` : ''}`,
    );
    for (const job of pipeline.jobs) {
      const does = [
        ...new Set(
          job.does.map((item) => (item.kind === item.tool ? item.kind : `${item.kind}: ${item.tool}`)),
        ),
      ];
      lines.push(`  ${job.name}  [${at(job.location)}]`);
      lines.push(`    does: ${does.length > 0 ? does.join(', ') : 'nothing recognised'}`);
      if (job.needs.length > 0) lines.push(`    needs: ${job.needs.join(', ')}`);
      if (job.deploys)
        lines.push(
          `    deploys to: ${job.environment ?? 'no named environment'}${job.production ? ' (production)' : ''}`,
        );
      if (job.gates) {
        lines.push(
          `    gates: tests ${job.gates.tests ?? 'NONE'}; scans ${job.gates.scans.length > 0 ? job.gates.scans.join(', ') : 'NONE'}`,
        );
        lines.push(
          `           approval ${job.gates.approval ?? 'NONE'}; ref ${job.gates.refRestriction ?? 'any branch'}`,
        );
      }
    }
    lines.push('');
  }
  lines.push(report.findings.length === 0 ? 'No findings.' : `Findings (${report.findings.length}):`);
  for (const finding of report.findings) {
    lines.push(`  ${finding.severity.toUpperCase().padEnd(8)} ${finding.ruleId}  ${at(finding.position)}`);
    lines.push(`           ${finding.message} (confidence ${finding.confidence})`);
    lines.push(`           fix: ${finding.remediation}`);
  }
  for (const error of report.errors) {
    lines.push(`  ERROR    ${error.code}  ${error.location ? at(error.location) : ''}  ${error.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderPipelineJson(report: PipelineReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const sarifLevels: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** SARIF 2.1.0 with one rule per pipeline rule used, and exact regions. */
export function renderPipelineSarif(report: PipelineReport): string {
  const used = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
  const rules = used.map((id) => {
    const rule = pipelineRules.find((candidate) => candidate.id === id);
    return {
      id,
      shortDescription: { text: rule?.title ?? id },
      help: { text: rule?.remediation ?? '' },
      defaultConfiguration: { level: sarifLevels[rule?.severity ?? 'medium'] },
      properties: { tags: ['security', 'ci'] },
    };
  });
  const results = report.findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: used.indexOf(finding.ruleId),
    level: sarifLevels[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactUri(finding.position.path),
          region: { startLine: finding.position.line, startColumn: finding.position.column },
        },
      },
    ],
    properties: { severity: finding.severity, confidence: finding.confidence },
  }));
  const log = {
    $schema: sarifSchemaUri,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'shipguard', version: toolVersion, semanticVersion: toolVersion, rules } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: 'error',
              message: { text: error.message },
              descriptor: { id: error.code },
              ...(error.location
                ? {
                    locations: [
                      {
                        physicalLocation: {
                          artifactLocation: artifactUri(error.location.path),
                          ...(error.location.line ? { region: { startLine: error.location.line } } : {}),
                        },
                      },
                    ],
                  }
                : {}),
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
