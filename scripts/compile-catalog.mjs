// Writes dist/catalog/controls.json: the catalog parsed and validated at build time, so a command
// does not parse the YAML and run the schema on every start (about 0.2 s). The YAML stays the
// source; src/ has no JSON, so tests always read and check the YAML itself.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCatalog } from '../dist/catalog/load.js';

const yamlPath = 'dist/catalog/controls.yaml';
const catalog = parseCatalog(readFileSync(yamlPath, 'utf8'), yamlPath);
writeFileSync('dist/catalog/controls.json', JSON.stringify(catalog));
