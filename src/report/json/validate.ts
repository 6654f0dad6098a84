import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv/dist/2020.js';

// ajv is loaded on the first validation (only uploads to the server validate), not by every
// command that renders a report: it is seventy modules. Both packages are CommonJS.
const require = createRequire(import.meta.url);

/** The JSON Schema of `--format json` output, read once from beside this file (src/ or dist/). */
let validator: ValidateFunction | undefined;

function compileValidator(): ValidateFunction {
  const schema = JSON.parse(
    readFileSync(new URL('./assessment.schema.json', import.meta.url), 'utf8'),
  ) as object;
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const ajvFormats = require('ajv-formats') as typeof import('ajv-formats');
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajvFormats.default(ajv);
  return ajv.compile(schema);
}

/**
 * Checks a parsed JSON report against assessment.schema.json. Returns the problems, each as
 * `/json/pointer: message`; an empty list means the document is valid.
 */
export function validateAssessmentDocument(document: unknown): string[] {
  validator ??= compileValidator();
  if (validator(document)) return [];
  return (validator.errors ?? []).map(
    (error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`,
  );
}
