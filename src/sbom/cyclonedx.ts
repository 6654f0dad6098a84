import { buildComponents, contentUuid, integrityDigest, type SbomInput } from './model.js';

/** Splits a package name into CycloneDX group and name (npm scope, Maven group, Composer vendor). */
function groupAndName(name: string, ecosystem: string): { group?: string; name: string } {
  if (ecosystem === 'Maven') {
    const colon = name.indexOf(':');
    return colon === -1 ? { name } : { group: name.slice(0, colon), name: name.slice(colon + 1) };
  }
  if ((ecosystem === 'npm' && name.startsWith('@')) || ecosystem === 'Packagist') {
    const slash = name.indexOf('/');
    return slash === -1 ? { name } : { group: name.slice(0, slash), name: name.slice(slash + 1) };
  }
  return { name };
}

const rootRef = 'shipguard:root';

/**
 * A CycloneDX 1.6 JSON BOM: one component per purl (scope from the lockfile: prod required,
 * optional and dev optional, with a `shipguard:scope` property), hashes, lockfile occurrences as
 * evidence, and the dependency graph with the project as the root.
 */
export function renderCycloneDx(input: SbomInput): Record<string, unknown> {
  const components = buildComponents(input.packages);
  const body = components.map((component) => {
    const item = component.package;
    const { group, name } = groupAndName(item.name, item.ecosystem);
    const digest = integrityDigest(item.integrity);
    const rendered: Record<string, unknown> = {
      type: 'library',
      'bom-ref': component.ref,
      ...(group === undefined ? {} : { group }),
      name,
      version: item.version,
      scope: item.scope === 'prod' ? 'required' : 'optional',
      ...(digest ? { hashes: [{ alg: digest.cyclonedx, content: digest.hex }] } : {}),
      purl: item.purl,
      properties: [
        { name: 'shipguard:direct', value: String(component.direct) },
        { name: 'shipguard:ecosystem', value: item.ecosystem },
        { name: 'shipguard:scope', value: item.scope },
        ...(item.integrity && !digest ? [{ name: 'shipguard:integrity', value: item.integrity }] : []),
      ],
      evidence: {
        occurrences: component.occurrences.map((occurrence) => ({
          location: occurrence.path,
          line: occurrence.line,
        })),
      },
    };
    return rendered;
  });
  const dependencies = [
    {
      ref: rootRef,
      dependsOn: components.filter((component) => component.direct).map((component) => component.ref),
    },
    ...components.map((component) => ({ ref: component.ref, dependsOn: component.dependsOn })),
  ];
  const metadataComponent = {
    type: 'application',
    'bom-ref': rootRef,
    name: input.name,
    ...(input.version === undefined ? {} : { version: input.version }),
  };
  const content = JSON.stringify({ metadataComponent, body, dependencies });
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${input.serialNumber ?? contentUuid(content)}`,
    version: 1,
    metadata: {
      timestamp: input.timestamp,
      tools: { components: [{ type: 'application', name: 'shipguard', version: input.toolVersion }] },
      component: metadataComponent,
    },
    components: body,
    dependencies,
  };
}
