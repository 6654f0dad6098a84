export type { GateEvidence, JobEvidence } from './evidence.js';
export { describePipeline, scanKinds } from './evidence.js';
export { loadedSystems, loadPipelines } from './load.js';
export type { PipelineSet } from './model.js';
export {
  buildPipelineReport,
  findingsAtOrAbove,
  renderPipelineJson,
  renderPipelineSarif,
  renderPipelineTable,
} from './report.js';
export type { RuleFinding, RuleGroup } from './rules/index.js';
export { evaluatePipelineRules, looksLikeCredential, pipelineRules } from './rules/index.js';
export { type CiSystem, ciLocations, ciSystemOf, locationsOf } from './systems.js';
export { findTestCommand, type TestCommand } from './test-commands.js';
export type { Position } from './yaml.js';
