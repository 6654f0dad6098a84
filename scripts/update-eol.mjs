// Regenerates src/end-of-life/dataset.json (and the NOTICE beside it) from a copy of
// endoflife.date's product files: `npm run update:eol -- <folder>`, where the folder holds
// `products/*.md`, `LICENSE` and a `SOURCE` file naming the repository and commit.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEndOfLifeDataset } from '../dist/end-of-life/dataset.js';
import {
  generateEndOfLifeDataset,
  noticeOf,
  parseCorpusSource,
  parseProductFile,
  serializeDataset,
} from '../dist/end-of-life/generate.js';

const folder = process.argv[2];
if (!folder) {
  process.stderr.write('usage: npm run update:eol -- <folder with products/, LICENSE and SOURCE>\n');
  process.exit(2);
}
const source = parseCorpusSource(
  readFileSync(join(folder, 'SOURCE'), 'utf8'),
  readFileSync(join(folder, 'LICENSE'), 'utf8'),
);
const productsFolder = join(folder, 'products');
const files = readdirSync(productsFolder)
  .filter((name) => name.endsWith('.md'))
  .map((name) => parseProductFile(name.slice(0, -3), readFileSync(join(productsFolder, name), 'utf8')));
const { dataset, skipped } = generateEndOfLifeDataset(files, source);
// Validate before writing, so a bad source never replaces a good file.
parseEndOfLifeDataset(dataset, 'generated dataset');
writeFileSync('src/end-of-life/dataset.json', serializeDataset(dataset));
writeFileSync('src/end-of-life/NOTICE', noticeOf(dataset));
const cycles = Object.values(dataset.products).reduce((sum, product) => sum + product.cycles.length, 0);
process.stdout.write(
  `${Object.keys(dataset.products).length} products, ${cycles} cycles as of ${dataset.asOf}; ${skipped.length} left out:\n`,
);
for (const line of skipped) process.stdout.write(`  ${line}\n`);
