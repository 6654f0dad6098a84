import { ShipguardError } from '../kernel/index.js';

export type PipelineErrorCode =
  | 'PIPELINE_YAML_INVALID'
  | 'PIPELINE_TOO_LARGE'
  | 'PIPELINE_ALIAS_LIMIT'
  | 'PIPELINE_NESTING_LIMIT'
  | 'PIPELINE_NOT_A_MAPPING'
  | 'PIPELINE_INCLUDE_LIMIT'
  | 'PIPELINE_INCLUDE_MISSING'
  | 'PIPELINE_EXTENDS_INVALID';

/** A pipeline file that could not be read as a pipeline; always carries the file and, when known, the line. */
export class PipelineError extends ShipguardError<PipelineErrorCode> {}
