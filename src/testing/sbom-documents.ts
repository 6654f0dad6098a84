/** A CycloneDX component of type library, with its package URL. */
export function library(ecosystem: string, name: string, version: string) {
  return { type: 'library', name, version, purl: `pkg:${ecosystem}/${name}@${version}` };
}

/** A CycloneDX 1.6 SBOM of the components, as JSON. */
export function cycloneDxSbom(components: ReturnType<typeof library>[]): string {
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components });
}
