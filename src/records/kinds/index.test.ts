import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordKinds } from './index.js';

describe('record kinds', () => {
  it('registers every kind file in this folder, under its own name', () => {
    const files = readdirSync(new URL('.', import.meta.url))
      .filter(
        (name) =>
          name.endsWith('.ts') &&
          !name.endsWith('.test.ts') &&
          !['index.ts', 'types.ts', 'common.ts'].includes(name),
      )
      .map((name) => name.slice(0, -3))
      .sort();
    expect(Object.keys(recordKinds).sort()).toEqual(files);
    for (const [name, kind] of Object.entries(recordKinds)) expect(kind.kind).toBe(name);
  });
});
