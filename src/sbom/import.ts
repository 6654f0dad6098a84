import type { OsvEcosystem } from '../ecosystems/index.js';
import { parsePurl } from '../ecosystems/index.js';
import { SbomError } from './errors.js';

/** A package named by an SBOM: enough to match advisories. */
export interface SbomPackage {
  name: string;
  version: string;
  purl: string;
  ecosystem: OsvEcosystem;
  /** Where in the SBOM: the component's bom-ref or SPDXID. */
  ref: string;
}

const purlTypeToEcosystem: Record<string, OsvEcosystem> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  cargo: 'crates.io',
  maven: 'Maven',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  deb: 'Debian',
};

/** Name as the ecosystem's advisories spell it, from a purl's namespace and name. */
export function packageFromPurl(purl: string, ref: string): SbomPackage | undefined {
  const parsed = parsePurl(purl);
  if (!parsed?.version) return undefined;
  const ecosystem = purlTypeToEcosystem[parsed.type];
  if (!ecosystem) return undefined;
  const namespace = parsed.namespace;
  let name = parsed.name;
  if (namespace) {
    if (ecosystem === 'Maven') name = `${namespace}:${parsed.name}`;
    else if (ecosystem !== 'Debian') name = `${namespace}/${parsed.name}`;
  }
  return { name, version: parsed.version, purl, ecosystem, ref };
}

export interface SbomOperatingSystem {
  name: string;
  version: string;
}

function addOperatingSystem(into: SbomOperatingSystem[], name: unknown, version: unknown): void {
  if (typeof name !== 'string' || typeof version !== 'string') return;
  if (name.length === 0 || name.length > 100 || version.length === 0 || version.length > 100) return;
  if (into.length < 100) into.push({ name, version });
}

export const maxSbomBytes = 256 * 1024 * 1024;
const maxComponentDepth = 50;

/** Reads the packages of a CycloneDX (any 1.x JSON) or SPDX 2.x JSON document, by their purls. */
export function readSbomPackages(
  path: string,
  text: string,
): {
  format: 'cyclonedx' | 'spdx';
  packages: SbomPackage[];
  skipped: number;
  /** Operating-system components (an image's base: `debian` `12.5`), which have no package URL. */
  operatingSystems: SbomOperatingSystem[];
} {
  if (text.length > maxSbomBytes)
    throw new SbomError('SBOM_TOO_LARGE', `${path} is larger than ${maxSbomBytes} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SbomError('SBOM_MALFORMED', `${path} is not valid JSON`, { cause: error, location: { path } });
  }
  if (typeof document !== 'object' || document === null) {
    throw new SbomError('SBOM_MALFORMED', `${path} is not a JSON object`, { location: { path } });
  }
  const record = document as Record<string, unknown>;
  const packages: SbomPackage[] = [];
  const operatingSystems: SbomOperatingSystem[] = [];
  let skipped = 0;
  if (record['bomFormat'] === 'CycloneDX') {
    // Nested components are walked with an explicit stack; deeper than the bound is an error, not a
    // silent cut (an SBOM that hides a package under 60 levels must not pass as checked).
    const pending: Array<{ components: unknown; depth: number }> = [
      { components: record['components'], depth: 0 },
    ];
    while (pending.length > 0) {
      const { components, depth } = pending.pop() as { components: unknown; depth: number };
      if (components === undefined) continue;
      if (!Array.isArray(components)) {
        throw new SbomError('SBOM_MALFORMED', `${path}: "components" is not a list`, { location: { path } });
      }
      if (depth > maxComponentDepth) {
        throw new SbomError(
          'SBOM_MALFORMED',
          `${path}: components are nested more than ${maxComponentDepth} levels deep`,
          {
            location: { path },
          },
        );
      }
      for (const component of components) {
        const item = (component ?? {}) as Record<string, unknown>;
        const purl = typeof item['purl'] === 'string' ? item['purl'] : undefined;
        const found = purl ? packageFromPurl(purl, String(item['bom-ref'] ?? purl)) : undefined;
        if (found) packages.push(found);
        else skipped++;
        if (item['type'] === 'operating-system')
          addOperatingSystem(operatingSystems, item['name'], item['version']);
        pending.push({ components: item['components'], depth: depth + 1 });
      }
    }
    return { format: 'cyclonedx', packages, skipped, operatingSystems };
  }
  if (typeof record['spdxVersion'] === 'string') {
    for (const item of Array.isArray(record['packages']) ? record['packages'] : []) {
      const entry = (item ?? {}) as Record<string, unknown>;
      const refs = Array.isArray(entry['externalRefs']) ? entry['externalRefs'] : [];
      const purlRef = refs.find((ref) => (ref as Record<string, unknown>)?.['referenceType'] === 'purl') as
        | Record<string, unknown>
        | undefined;
      const locator = purlRef?.['referenceLocator'];
      const found =
        typeof locator === 'string'
          ? packageFromPurl(locator, String(entry['SPDXID'] ?? locator))
          : undefined;
      if (found) packages.push(found);
      else skipped++;
      if (entry['primaryPackagePurpose'] === 'OPERATING-SYSTEM')
        addOperatingSystem(operatingSystems, entry['name'], entry['versionInfo']);
    }
    return { format: 'spdx', packages, skipped, operatingSystems };
  }
  throw new SbomError(
    'SBOM_UNSUPPORTED',
    `${path} is neither CycloneDX (bomFormat) nor SPDX JSON (spdxVersion)`,
    {
      location: { path },
    },
  );
}
