// Module hooks for running shipguard's TypeScript sources in a child process (tests that kill a
// real process): a relative `./x.js` import resolves to `./x.ts` when only the source exists.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  if (
    (specifier.startsWith('.') || specifier.startsWith('/')) &&
    specifier.endsWith('.js') &&
    context.parentURL?.startsWith('file:')
  ) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    const original = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(original)) && existsSync(fileURLToPath(candidate))) {
      return nextResolve(candidate.href, context);
    }
  }
  return nextResolve(specifier, context);
}
