import { z } from 'zod';

const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/**
 * Product ids are endoflife.date's, except for the few shipguard named first (`alpine`, `rails`,
 * `java`), which policies and evidence already use.
 */
export const ProductId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,60}$/);
export type ProductId = z.infer<typeof ProductId>;

/** Products that collectors name directly (runtimes, base images, frameworks); always in the dataset. */
export const productIds = [
  'nodejs',
  'python',
  'go',
  'java',
  'dotnet',
  'ruby',
  'php',
  'debian',
  'ubuntu',
  'alpine',
  'django',
  'rails',
  'spring-boot',
  'angular',
] as const;

/**
 * How a product names its release cycles: `major` (Node.js `20`), `major.minor` (Python `3.11`),
 * `year.month` (Ubuntu `22.04`, month always two digits).
 */
export const VersionScheme = z.enum(['major', 'major.minor', 'year.month']);
export type VersionScheme = z.infer<typeof VersionScheme>;

/**
 * A support milestone: the day it ends, `true` when it has ended on a day the source does not
 * give, null when no end is set yet.
 */
export const Milestone = z.union([calendarDate, z.literal(true)]).nullable();
export type Milestone = z.infer<typeof Milestone>;

export const ReleaseCycle = z.strictObject({
  cycle: z.string().regex(/^\d{1,4}(\.\d{1,3})?$/),
  /** Lower-case release name users may write instead of the number (`iron`, `bookworm`). */
  codename: z
    .string()
    .regex(/^[a-z]{2,20}$/)
    .optional(),
  lts: z.boolean().optional(),
  /** Null when the source does not give it. */
  releaseDate: calendarDate.nullable(),
  /** End of life: the day standard (free, community) security support ends. */
  eol: Milestone,
  /** End of active support (bug fixes); security fixes may go on until `eol`. */
  eoas: Milestone.optional(),
  /** End of extended support (Debian LTS, paid vendor support), after `eol`. */
  eoes: Milestone.optional(),
  note: z.string().optional(),
});
export type ReleaseCycle = z.infer<typeof ReleaseCycle>;

/** How a product is recognised: package URLs (`pkg:type/namespace/name`), CPE prefixes, image names. */
export const ProductIdentifiers = z.strictObject({
  purls: z.array(z.string().regex(/^pkg:[a-z0-9.+-]+\/\S+$/)),
  cpes: z.array(z.string().regex(/^cpe:/)),
  /** Container image repositories without tag: `postgres`, `bitnami/redis`, `ghcr.io/owner/name`. */
  images: z.array(z.string().min(1)),
});
export type ProductIdentifiers = z.infer<typeof ProductIdentifiers>;

export const Product = z.strictObject({
  title: z.string().min(1),
  /** endoflife.date's category: `lang`, `framework`, `os`, `database`, `server-app`, … */
  category: z.string().min(1),
  scheme: VersionScheme,
  identifiers: ProductIdentifiers,
  cycles: z.array(ReleaseCycle).min(1),
});
export type Product = z.infer<typeof Product>;

export const DatasetOrigin = z.strictObject({
  repository: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  date: calendarDate,
});

export const EndOfLifeDataset = z
  .strictObject({
    /** The day the source was taken: the dates are known to be right up to then. */
    asOf: calendarDate,
    source: z.string().min(20),
    origin: DatasetOrigin,
    /** The source's licence notice, which must travel with the data. */
    licence: z.string().min(20),
    products: z.record(ProductId, Product),
  })
  .refine((dataset) => productIds.every((id) => id in dataset.products), {
    message: `the dataset must hold ${productIds.join(', ')}`,
    path: ['products'],
  });
export type EndOfLifeDataset = z.infer<typeof EndOfLifeDataset>;
