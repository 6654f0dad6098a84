import { z } from 'zod';

const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** The products the dataset covers; collectors name runtimes with these ids. */
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
export const ProductId = z.enum(productIds);
export type ProductId = z.infer<typeof ProductId>;

/**
 * How a product names its release cycles: `major` (Node.js `20`), `major.minor` (Python `3.11`),
 * `year.month` (Ubuntu `22.04`, month always two digits).
 */
export const VersionScheme = z.enum(['major', 'major.minor', 'year.month']);
export type VersionScheme = z.infer<typeof VersionScheme>;

export const ReleaseCycle = z.strictObject({
  cycle: z.string().regex(/^\d{1,4}(\.\d{1,2})?$/),
  /** Lower-case release name users may write instead of the number (`iron`, `bookworm`). */
  codename: z
    .string()
    .regex(/^[a-z]{2,20}$/)
    .optional(),
  lts: z.boolean().optional(),
  releaseDate: calendarDate,
  /** The day support ends; null while the project has not set one. */
  eol: calendarDate.nullable(),
  note: z.string().optional(),
});
export type ReleaseCycle = z.infer<typeof ReleaseCycle>;

export const Product = z.strictObject({
  title: z.string().min(1),
  scheme: VersionScheme,
  cycles: z.array(ReleaseCycle).min(1),
});
export type Product = z.infer<typeof Product>;

export const EndOfLifeDataset = z.strictObject({
  asOf: calendarDate,
  source: z.string().min(20),
  products: z.strictObject(
    Object.fromEntries(productIds.map((id) => [id, Product])) as Record<ProductId, typeof Product>,
  ),
});
export type EndOfLifeDataset = z.infer<typeof EndOfLifeDataset>;
