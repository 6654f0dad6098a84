import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type PipelineErrorCode =
  | 'PIPELINE_YAML_INVALID'
  | 'PIPELINE_TOO_LARGE'
  | 'PIPELINE_ALIAS_LIMIT'
  | 'PIPELINE_NESTING_LIMIT'
  | 'PIPELINE_NOT_A_MAPPING'
  | 'PIPELINE_INCLUDE_LIMIT'
  | 'PIPELINE_INCLUDE_MISSING'
  | 'PIPELINE_INCLUDE_UNREADABLE'
  | 'PIPELINE_EXTENDS_INVALID';

/** The kind of each code, which decides the exit code. */
const pipelineErrorKinds: ErrorKinds<PipelineErrorCode> = {
  PIPELINE_YAML_INVALID: 'internal',
  PIPELINE_TOO_LARGE: 'internal',
  PIPELINE_ALIAS_LIMIT: 'internal',
  PIPELINE_NESTING_LIMIT: 'internal',
  PIPELINE_NOT_A_MAPPING: 'internal',
  PIPELINE_INCLUDE_LIMIT: 'internal',
  PIPELINE_INCLUDE_MISSING: 'internal',
  PIPELINE_INCLUDE_UNREADABLE: 'internal',
  PIPELINE_EXTENDS_INVALID: 'internal',
};

/** A pipeline file that could not be read as a pipeline; always carries the file and, when known, the line. */
export class PipelineError extends errorWithKinds(pipelineErrorKinds) {}
