/**
 * The Sigstore public-good trusted root, read offline from the `seeds.json` that @sigstore/tuf
 * ships: the TUF repository's initial root metadata and, embedded beside it, the
 * `trusted_root.json` target (Fulcio CAs, Rekor and CT log keys, timestamp authorities).
 *
 * No TUF client runs here, so nothing is fetched or refreshed: the root is exactly the one in the
 * installed package, whose tarball the lockfile's integrity hash pins. The seeds file carries no
 * TUF targets metadata, so the target cannot be checked against a signed hash; its SHA-256 is
 * reported instead, so a verification names the root it used.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ProvenanceError } from './errors.js';

/** The TUF repository of the Sigstore public-good instance, as seeds.json keys it. */
export const publicGoodTufRepository = 'https://tuf-repo-cdn.sigstore.dev';
const trustedRootTarget = 'trusted_root.json';
const seedsPackage = '@sigstore/tuf';
const maxSeedsBytes = 4 * 1024 * 1024;

const seedsFile = z.record(
  z.string(),
  z.object({
    'root.json': z.string(),
    targets: z.record(z.string(), z.string()),
  }),
);

const packageFile = z.object({ version: z.string() });

export interface PublicGoodTrustedRoot {
  /** The trusted_root.json text. */
  text: string;
  /** Hex SHA-256 of that text, as embedded. */
  sha256: string;
  /** Where it came from, e.g. `@sigstore/tuf 5.0.1 seeds.json`. */
  source: string;
}

/** Path of the installed @sigstore/tuf package's seeds.json. */
export function defaultSeedsPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${seedsPackage}/package.json`)), 'seeds.json');
}

function readBounded(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ProvenanceError('TRUST_ROOT_INVALID', `cannot read the Sigstore TUF seeds ${path}`, {
      cause: error,
      location: { path },
    });
  }
  if (bytes.length > maxSeedsBytes) {
    throw new ProvenanceError(
      'TRUST_ROOT_INVALID',
      `the Sigstore TUF seeds are larger than ${maxSeedsBytes} bytes`,
      {
        location: { path },
      },
    );
  }
  return bytes.toString('utf8');
}

function readPackageVersion(seedsPath: string): string | undefined {
  try {
    const parsed = packageFile.safeParse(
      JSON.parse(readFileSync(join(dirname(seedsPath), 'package.json'), 'utf8')),
    );
    return parsed.success ? parsed.data.version : undefined;
  } catch {
    return undefined;
  }
}

/** Strict base64 (what seeds.json holds); Buffer.from alone would skip invalid characters. */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/**
 * Reads the public-good trusted_root.json embedded in @sigstore/tuf's seeds, without network.
 * `seedsPath` is for tests; by default the installed package's file is read.
 */
export function readPublicGoodTrustedRoot(seedsPath = defaultSeedsPath()): PublicGoodTrustedRoot {
  const location = { path: seedsPath };
  let json: unknown;
  try {
    json = JSON.parse(readBounded(seedsPath));
  } catch (error) {
    if (error instanceof ProvenanceError) throw error;
    throw new ProvenanceError('TRUST_ROOT_INVALID', 'the Sigstore TUF seeds are not JSON', {
      cause: error,
      location,
    });
  }
  const parsed = seedsFile.safeParse(json);
  if (!parsed.success) {
    throw new ProvenanceError('TRUST_ROOT_INVALID', 'the Sigstore TUF seeds do not have the expected shape', {
      cause: parsed.error,
      location,
    });
  }
  const encoded = parsed.data[publicGoodTufRepository]?.targets[trustedRootTarget];
  if (encoded === undefined) {
    throw new ProvenanceError(
      'TRUST_ROOT_INVALID',
      `the Sigstore TUF seeds hold no ${trustedRootTarget} for ${publicGoodTufRepository}`,
      { location },
    );
  }
  const bytes = decodeBase64(encoded);
  if (bytes === undefined || bytes.length === 0) {
    throw new ProvenanceError('TRUST_ROOT_INVALID', `the embedded ${trustedRootTarget} is not valid base64`, {
      location,
    });
  }
  const version = readPackageVersion(seedsPath);
  return {
    text: bytes.toString('utf8'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    source: `${seedsPackage}${version === undefined ? '' : ` ${version}`} seeds.json`,
  };
}

let cached: PublicGoodTrustedRoot | undefined;

/** The installed public-good root, read once per process. */
export function publicGoodTrustedRoot(): PublicGoodTrustedRoot {
  cached ??= readPublicGoodTrustedRoot();
  return cached;
}
