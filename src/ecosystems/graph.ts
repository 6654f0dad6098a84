import type { PackageScope } from './types.js';

/**
 * Gives each package the strongest scope it is reachable under: a package reachable from a
 * production root is prod even when a dev root also needs it; optional beats dev.
 */
export function assignScopes(
  edges: ReadonlyMap<string, readonly string[]>,
  roots: ReadonlyArray<{ key: string; scope: PackageScope }>,
): Map<string, PackageScope> {
  const scopes = new Map<string, PackageScope>();
  for (const scope of ['prod', 'optional', 'dev'] as const) {
    const pending = roots.filter((root) => root.scope === scope).map((root) => root.key);
    while (pending.length > 0) {
      const key = pending.pop() as string;
      if (scopes.has(key)) continue;
      scopes.set(key, scope);
      for (const next of edges.get(key) ?? []) if (!scopes.has(next)) pending.push(next);
    }
  }
  return scopes;
}
