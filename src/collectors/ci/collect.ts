import type { RepositorySnapshot } from '../../kernel/index.js';
import {
  type CiSystem,
  ciSystemOf,
  findTestCommand,
  type GithubWorkflow,
  jobNotRunning,
  loadPipelines,
  stepNotRunning,
  type TestCommand,
  workflowNotOnChanges,
} from '../../pipelines/index.js';

export interface CiFile {
  system: CiSystem;
  path: string;
  /**
   * False when the file could not be read as text (the snapshot records why), or a GitHub workflow
   * could not be read as a workflow (invalid YAML: GitHub does not run it; the pipelines say why).
   */
  readable: boolean;
  /** Only the first `maxCiFileBytes` were searched. */
  truncated: boolean;
  /** The first line that runs tests, when one does. */
  testCommand?: TestCommand;
  /** Why this file runs nothing for a change (a manual-only workflow), when it does not. */
  notOnChanges?: string;
  /** Test commands found but not counted, with the reason (switched off, continue-on-error, echo). */
  refusedTests: string[];
}

export interface CiFacts {
  files: CiFile[];
}

export const maxCiFileBytes = 1024 * 1024;

export async function collectCi(repository: RepositorySnapshot): Promise<CiFacts> {
  const files: CiFile[] = [];
  // GitHub workflows are read as structure: triggers, `if:` and continue-on-error decide credit.
  const workflows = repository.files.some((path) => ciSystemOf(path) === 'github-actions')
    ? (await loadPipelines(repository)).workflows
    : [];
  for (const path of repository.files) {
    const system = ciSystemOf(path);
    if (!system) continue;
    const file = await repository.readText(path, maxCiFileBytes);
    if (!file) {
      files.push({ system, path, readable: false, truncated: false, refusedTests: [] });
      continue;
    }
    if (file.truncated) {
      repository.problems.push({
        severity: 'warning',
        code: 'FILE_TRUNCATED',
        message: `${path} is larger than ${maxCiFileBytes / 1024 / 1024} MB; only its beginning was searched for test commands`,
        location: { path },
      });
    }
    const workflow = workflows.find((candidate) => candidate.path === path);
    if (system === 'github-actions' && !workflow) {
      // Its text is not searched for test commands: a workflow that does not load runs nothing.
      files.push({ system, path, readable: false, truncated: file.truncated, refusedTests: [] });
      continue;
    }
    const ciFile: CiFile = { system, path, readable: true, truncated: file.truncated, refusedTests: [] };
    if (workflow) {
      creditWorkflowTests(workflow, ciFile);
    } else {
      const testCommand = findTestCommand(file.text);
      if (testCommand) ciFile.testCommand = testCommand;
    }
    files.push(ciFile);
  }
  return { files };
}

/** The first test step of a workflow that really runs on changes; the others, with the reason. */
function creditWorkflowTests(workflow: GithubWorkflow, ciFile: CiFile): void {
  const notOnChanges = workflowNotOnChanges(workflow);
  if (notOnChanges) ciFile.notOnChanges = notOnChanges;
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (!step.run) continue;
      const found = findTestCommand(step.run.text);
      if (!found) continue;
      const reason = notOnChanges ?? jobNotRunning(job) ?? stepNotRunning(step);
      if (reason) {
        ciFile.refusedTests.push(`${found.command} (${reason})`);
        continue;
      }
      // findTestCommand counts from the script's first line; the script starts on the run: line.
      const line =
        step.run.position.line +
        found.line -
        (step.run.raw.startsWith('|') || step.run.raw.startsWith('>') ? 0 : 1);
      if (!ciFile.testCommand) ciFile.testCommand = { line, command: found.command };
    }
  }
}
