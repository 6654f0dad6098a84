import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
  readProjectIdentity,
  type ScanResult,
  type ScanScope,
  scanRepository,
  unlockedManifests,
} from '../ecosystems/index.js';
import type { RepositorySnapshot } from '../kernel/index.js';
import { toolVersion } from '../kernel/index.js';
import { renderCycloneDx } from './cyclonedx.js';
import { sbomTimestamp } from './model.js';
import { renderSpdx } from './spdx.js';

export const sbomFormats = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof sbomFormats)[number];

export interface GenerateSbomOptions {
  format: SbomFormat;
  timestamp?: string;
  serialNumber?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Which lockfiles count (default: not those of fixtures, examples and vendored code). */
  scope?: ScanScope;
}

export interface GeneratedSbom {
  document: Record<string, unknown>;
  text: string;
  /** SHA-256 of `text`. */
  digest: string;
  scan: ScanResult;
}

/** Scans the repository's lockfiles and renders the SBOM in the chosen format. */
export async function generateSbom(
  repository: RepositorySnapshot,
  options: GenerateSbomOptions,
): Promise<GeneratedSbom> {
  const scan = await scanRepository(repository, options.scope ?? {});
  for (const error of await unlockedManifests(repository, options.scope ?? {})) scan.errors.push(error);
  const identity = await readProjectIdentity(repository);
  const input = {
    name: identity?.name ?? basename(repository.root),
    ...(identity?.version === undefined ? {} : { version: identity.version }),
    packages: scan.packages,
    timestamp: options.timestamp ?? sbomTimestamp(options.env ?? {}),
    toolVersion,
    ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
  };
  const document = options.format === 'spdx' ? renderSpdx(input) : renderCycloneDx(input);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  return { document, text, digest: createHash('sha256').update(text).digest('hex'), scan };
}
