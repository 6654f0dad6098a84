// Copies the data files the code reads at run time (catalog, datasets, schemas) from src/ to dist/.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const assetExtensions = ['.yaml', '.json', '.sql', '.html', '.css'];

function copyAssets(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      if (name !== '__fixtures__') copyAssets(path);
    } else if (assetExtensions.some((extension) => name.endsWith(extension))) {
      cpSync(path, join('dist', relative('src', path)));
    }
  }
}

copyAssets('src');
