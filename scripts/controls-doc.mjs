// Rewrites the generated section of docs/controls.md from the built catalog and checks
// (run `npm run build` first). src/engine/controls-doc.test.ts fails when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadCatalog } from '../dist/catalog/load.js';
import { collectors } from '../dist/collectors/index.js';
import { renderControlsEvidenceDoc, replaceGeneratedSection } from '../dist/engine/controls-doc.js';

const path = new URL('../docs/controls.md', import.meta.url);
const document = readFileSync(path, 'utf8');
writeFileSync(path, replaceGeneratedSection(document, renderControlsEvidenceDoc(loadCatalog(), collectors)));
