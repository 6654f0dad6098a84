import { readFileSync } from 'node:fs';

/** The version in package.json, read once; src/core and dist/core both sit two folders below it. */
function readToolVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const toolVersion: string = readToolVersion();
