import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parseCatalog } from './load.js';

const source = fileURLToPath(new URL('./controls.yaml', import.meta.url));
const compiled = fileURLToPath(new URL('../../dist/catalog/controls.json', import.meta.url));

// The built command reads the catalog the build compiled to JSON: it must be the YAML, exactly.
it.skipIf(!existsSync(compiled))(
  'ships the catalog compiled at build time, equal to the YAML (npm run build refreshes it)',
  () => {
    const fromYaml = parseCatalog(readFileSync(source, 'utf8'), source);
    expect(JSON.parse(readFileSync(compiled, 'utf8'))).toStrictEqual(fromYaml);
  },
);
