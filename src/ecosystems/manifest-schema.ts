import { z } from 'zod';

/**
 * The parts of JSON manifests and lockfiles this collector reads. Lenient: a field of the wrong
 * type reads as absent instead of failing the whole file.
 */

const Entries = z.record(z.string(), z.unknown()).optional().catch(undefined);
const OptionalString = z.string().optional().catch(undefined);
const OptionalBoolean = z.boolean().optional().catch(undefined);

export const PackageJson = z.object({
  dependencies: Entries,
  devDependencies: Entries,
  optionalDependencies: Entries,
  peerDependencies: Entries,
  /** An array of globs (npm, yarn, bun) or `{ packages: [...] }` (yarn). */
  workspaces: z
    .union([z.array(z.unknown()), z.object({ packages: z.array(z.unknown()) })])
    .optional()
    .catch(undefined),
});
export type PackageJson = z.infer<typeof PackageJson>;

export const ComposerJson = z.object({
  require: Entries,
  'require-dev': Entries,
});
export type ComposerJson = z.infer<typeof ComposerJson>;

export interface PackageLockEntry {
  resolved?: string | undefined;
  version?: string | undefined;
  integrity?: string | undefined;
  link?: boolean | undefined;
  inBundle?: boolean | undefined;
  bundled?: boolean | undefined;
  /** Version 1 lockfiles nest dependencies. */
  dependencies?: Record<string, PackageLockEntry | null> | undefined;
}

export const PackageLockEntry: z.ZodType<PackageLockEntry> = z.object({
  resolved: OptionalString,
  version: OptionalString,
  integrity: OptionalString,
  link: OptionalBoolean,
  inBundle: OptionalBoolean,
  bundled: OptionalBoolean,
  get dependencies() {
    return z.record(z.string(), PackageLockEntry.nullable().catch(null)).optional().catch(undefined);
  },
});

/** package-lock.json and npm-shrinkwrap.json: `packages` (versions 2 and 3) or `dependencies` (1). */
export const PackageLock = z.object({
  packages: z.record(z.string(), PackageLockEntry.nullable().catch(null)).optional().catch(undefined),
  dependencies: z.record(z.string(), PackageLockEntry.nullable().catch(null)).optional().catch(undefined),
});
export type PackageLock = z.infer<typeof PackageLock>;
