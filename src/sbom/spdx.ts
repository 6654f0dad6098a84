import { buildComponents, contentUuid, integrityDigest, type SbomInput } from './model.js';

function spdxId(index: number): string {
  return `SPDXRef-Package-${index + 1}`;
}

/**
 * An SPDX 2.3 JSON document: the project as the described root package, one package per purl
 * (purl as a PACKAGE-MANAGER external reference, checksums, the lockfile line as a comment), and
 * DEPENDS_ON relationships for the graph (DEV_DEPENDENCY_OF for direct dev dependencies).
 */
export function renderSpdx(input: SbomInput): Record<string, unknown> {
  const components = buildComponents(input.packages);
  const idByRef = new Map(components.map((component, index) => [component.ref, spdxId(index)]));
  const rootId = 'SPDXRef-Root';
  const packages = [
    {
      SPDXID: rootId,
      name: input.name,
      ...(input.version === undefined ? {} : { versionInfo: input.version }),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'APPLICATION',
    },
    ...components.map((component) => {
      const item = component.package;
      const digest = integrityDigest(item.integrity);
      return {
        SPDXID: idByRef.get(component.ref) as string,
        name: item.name,
        versionInfo: item.version,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        primaryPackagePurpose: 'LIBRARY',
        ...(digest ? { checksums: [{ algorithm: digest.spdx, checksumValue: digest.hex }] } : {}),
        externalRefs: [
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: item.purl },
        ],
        comment: `scope ${item.scope}, ${component.direct ? 'direct' : 'transitive'}; locked at ${component.occurrences
          .map((occurrence) => `${occurrence.path}:${occurrence.line}`)
          .join(', ')}`,
      };
    }),
  ];
  const relationships: Array<Record<string, string>> = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId },
  ];
  for (const component of components) {
    const id = idByRef.get(component.ref) as string;
    if (component.direct) {
      relationships.push(
        component.package.scope === 'dev'
          ? { spdxElementId: id, relationshipType: 'DEV_DEPENDENCY_OF', relatedSpdxElement: rootId }
          : { spdxElementId: rootId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: id },
      );
    }
    for (const ref of component.dependsOn) {
      const target = idByRef.get(ref);
      if (target)
        relationships.push({ spdxElementId: id, relationshipType: 'DEPENDS_ON', relatedSpdxElement: target });
    }
  }
  const uuid =
    input.serialNumber ?? contentUuid(JSON.stringify({ name: input.name, packages, relationships }));
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${input.name} dependencies`,
    documentNamespace: `https://spdx.org/spdxdocs/shipguard-${encodeURIComponent(input.name)}-${uuid}`,
    creationInfo: { created: input.timestamp, creators: [`Tool: shipguard-${input.toolVersion}`] },
    documentDescribes: [rootId],
    packages,
    relationships,
  };
}
