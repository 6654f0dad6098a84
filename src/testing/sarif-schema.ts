import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';

/** The official SARIF 2.1.0 schema in ../shared/corpora (beside the repository), never copied in. */
export const officialSarifSchemaFile = fileURLToPath(
  new URL('../../../shared/corpora/sarif/sarif-schema-2.1.0.json', import.meta.url),
);

/**
 * A validator for SARIF logs against the official schema, or undefined (with a warning saying
 * why) when ../shared/corpora is absent. The schema declares draft-04 (`$schema`, and `id` for
 * its identifier) but uses nothing that differs from draft-07, so Ajv's default class reads it
 * once those two spellings are translated. Not strict: the schema has union types.
 */
export function loadOfficialSarifValidator(): ((log: unknown) => unknown[]) | undefined {
  if (!existsSync(officialSarifSchemaFile)) {
    console.warn(
      `skipping SARIF conformance: ${officialSarifSchemaFile} not found (../shared/corpora is absent)`,
    );
    return undefined;
  }
  const {
    $schema: _draft,
    id,
    ...rest
  } = JSON.parse(readFileSync(officialSarifSchemaFile, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile({ ...rest, $id: typeof id === 'string' ? id : 'urn:sarif:2.1.0' });
  return (log) => (validate(JSON.parse(JSON.stringify(log))) ? [] : (validate.errors ?? []));
}
