import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

/**
 * A validator for CycloneDX 1.6 JSON from the schemas bundled with @cyclonedx/cyclonedx-library.
 * The BOM schema refers to its SPDX licence list and JSF schemas by file name, so they are
 * registered under those names.
 */
export function cycloneDxValidator(): ValidateFunction {
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  const read = (name: string) =>
    JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  ajvFormats.default(ajv);
  for (const name of ['spdx', 'jsf-0.82']) {
    ajv.addSchema({
      ...read(`${name}.SNAPSHOT.schema.json`),
      $id: `http://cyclonedx.org/schema/${name}.SNAPSHOT.schema.json`,
    });
  }
  return ajv.compile(read('bom-1.6.SNAPSHOT.schema.json'));
}
