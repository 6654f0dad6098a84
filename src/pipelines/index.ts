export {
  continuesOnError,
  hollowCommand,
  isNeverTrue,
  jobNotRunning,
  stepNotRunning,
  whyNotCredited,
  workflowNotOnChanges,
} from './credit.js';
export type { Activity, GateEvidence, JobEvidence } from './evidence.js';
export { commandLines, describePipeline, scanKinds } from './evidence.js';
export { isPipelinePath, loadedSystems, loadPipelines } from './load.js';
export type { GithubWorkflow, PipelineJob, PipelineSet } from './model.js';
export {
  buildPipelineReport,
  findingsAtOrAbove,
  renderPipelineJson,
  renderPipelineSarif,
  renderPipelineTable,
} from './report.js';
export type { RuleFinding, RuleGroup } from './rules/index.js';
export { evaluatePipelineRules, looksLikeCredential, pipelineRules } from './rules/index.js';
export { type CiSystem, ciLocations, ciSystemOf, isWorkflowPath, locationsOf } from './systems.js';
export { findTestCommand, type TestCommand } from './test-commands.js';
export type { Position } from './yaml.js';
