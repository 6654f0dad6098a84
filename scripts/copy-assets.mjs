// Copies the data files the code reads at run time (catalog, datasets, schemas) from src/ to dist/.
// A data file's licence notice (a file named NOTICE beside it) ships with it.
// Test support never ships: fixtures, src/testing and test files stay behind.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const assetExtensions = ['.yaml', '.json', '.sql', '.html', '.css'];
const testOnlyFolders = new Set(['__fixtures__', 'testing']);

function copyAssets(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      if (!testOnlyFolders.has(name)) copyAssets(path);
    } else if (
      (name === 'NOTICE' || assetExtensions.some((extension) => name.endsWith(extension))) &&
      !name.includes('.test.')
    ) {
      cpSync(path, join('dist', relative('src', path)));
    }
  }
}

copyAssets('src');
