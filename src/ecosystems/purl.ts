/**
 * package-url strings (https://github.com/package-url/purl-spec): `pkg:type/namespace/name@version`.
 * Each namespace segment, the name and the version are percent-encoded.
 */
export function buildPurl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string,
): string {
  const encode = (part: string) => encodeURIComponent(part);
  const path = namespace
    ? `${namespace.split('/').filter(Boolean).map(encode).join('/')}/${encode(name)}`
    : encode(name);
  return `pkg:${type}/${path}@${encode(version)}`;
}

/** Reads back type, namespace, name and version (what SBOM import needs). */
export function parsePurl(
  purl: string,
): { type: string; namespace?: string; name: string; version?: string } | undefined {
  if (purl.length > 2048 || !purl.startsWith('pkg:')) return undefined;
  let rest = purl.slice(4).replace(/^\/+/, '');
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question !== -1) rest = rest.slice(0, question);
  const slash = rest.indexOf('/');
  if (slash === -1) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  let path = rest.slice(slash + 1);
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > 0) {
    version = safeDecode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments = path.split('/').filter(Boolean).map(safeDecode);
  const name = segments.pop();
  if (name === undefined || name === '') return undefined;
  const result: { type: string; namespace?: string; name: string; version?: string } = { type, name };
  if (segments.length > 0) result.namespace = segments.join('/');
  if (version !== undefined) result.version = version;
  return result;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
