import { createHash } from 'node:crypto';
import { z } from 'zod';
import { containsCredential, toolVersion } from '../kernel/index.js';
import { type Store, type StoreAccess, viewTables } from '../store/index.js';
import type { ExtractResult } from './types.js';
import { osvEcosystems } from './types.js';

/**
 * Whole extractions of lockfiles, keyed by a digest of everything the extractor read. Parsing a
 * large lockfile is most of what a repeated assessment of an unchanged repository would do
 * (drizzle-orm's 587 KB pnpm lock: about half a second of YAML); the same text gives the same
 * packages, so the result is kept and the next run reads it back (decision 0014).
 */
export interface ExtractionCache {
  get(inputDigest: string): Promise<ExtractResult | undefined>;
  put(inputDigest: string, result: ExtractResult): Promise<void>;
}

/**
 * Names one extraction: shipguard's version (extractors are code), the extractor, the lockfile's
 * path (packages carry it) and text, and every sibling manifest the extractor was offered.
 */
export function extractionDigest(input: {
  extractor: string;
  path: string;
  text: string;
  siblings: ReadonlyMap<string, string>;
}): string {
  const hash = createHash('sha256');
  const field = (value: string) => hash.update(`${Buffer.byteLength(value)}:`).update(value);
  field(toolVersion);
  field(input.extractor);
  field(input.path);
  field(input.text);
  for (const [name, text] of [...input.siblings].sort(([a], [b]) => a.localeCompare(b))) {
    field(name);
    field(text);
  }
  return hash.digest('hex');
}

// What was written is read back as untrusted text: a row that does not have this shape is a miss.
const locationSchema = z.object({ path: z.string(), line: z.number().int() });
const extractionSchema = z.object({
  packages: z.array(
    z.object({
      name: z.string(),
      version: z.string(),
      purl: z.string(),
      ecosystem: z.enum(osvEcosystems),
      direct: z.boolean(),
      scope: z.enum(['prod', 'dev', 'optional']),
      integrity: z.string().optional(),
      location: locationSchema,
      dependencies: z.array(z.string()).optional(),
    }),
  ),
  warnings: z.array(
    z.object({
      code: z.enum(['LOCKFILE_VERSION_UNKNOWN', 'LOCKFILE_ENTRY_SKIPPED', 'LOCKFILE_TRUNCATED']),
      message: z.string(),
      location: z.object({ path: z.string(), line: z.number().int().optional() }),
    }),
  ),
});

// A type alias, not an interface: Kysely needs an index-compatible record.
type ExtractionsTable = { input_digest: string; extraction: string; extracted_at: string };
type Tables = { lockfile_extractions: ExtractionsTable };

/** Larger extractions are made again each time rather than stored. */
const maxStoredBytes = 32 * 1024 * 1024;
/** Rows older than this are pruned when a new one is written: a lockfile left alone is parsed again then. */
const horizonDays = 30;

/** The cache in the store (migration 026-lockfile-extractions). */
export function storeExtractionCache(store: Store, now: Date): ExtractionCache {
  const db = viewTables<Tables>(store.db);
  return {
    async get(inputDigest) {
      const row = await db
        .selectFrom('lockfile_extractions')
        .select('extraction')
        .where('input_digest', '=', inputDigest)
        .executeTakeFirst();
      if (!row) return undefined;
      try {
        const parsed = extractionSchema.safeParse(JSON.parse(row.extraction));
        return parsed.success ? (parsed.data as ExtractResult) : undefined;
      } catch {
        return undefined;
      }
    },
    async put(inputDigest, result) {
      const text = JSON.stringify({ packages: result.packages, warnings: result.warnings });
      // The store holds no credential (the redaction boundary): such a lockfile is parsed each time.
      if (text.length > maxStoredBytes || containsCredential(text)) return;
      const horizon = new Date(now.getTime() - horizonDays * 86_400_000).toISOString();
      await db.transaction().execute(async (transaction) => {
        await transaction.deleteFrom('lockfile_extractions').where('extracted_at', '<', horizon).execute();
        await transaction
          .insertInto('lockfile_extractions')
          .values({ input_digest: inputDigest, extraction: text, extracted_at: now.toISOString() })
          // A row that could not be read back (the only way to reach put for a stored digest) is replaced.
          .onConflict((conflict) =>
            conflict.column('input_digest').doUpdateSet((eb) => ({
              extraction: eb.ref('excluded.extraction'),
              extracted_at: eb.ref('excluded.extracted_at'),
            })),
          )
          .execute();
      });
    },
  };
}

/** The cache in the command's store for caches, if it has one (`StoreAccess.forCaches`). */
export async function extractionCacheOf(
  access: StoreAccess,
  now: Date,
): Promise<ExtractionCache | undefined> {
  const store = await access.forCaches();
  return store ? storeExtractionCache(store, now) : undefined;
}
