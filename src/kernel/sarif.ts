/** SARIF pieces shared by every producer of SARIF (the assessment report and the pipelines report). */

export const sarifSchemaUri =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * A repository-relative path as a URI reference against `%SRCROOT%` (the checkout root, which
 * code scanning knows), each segment percent-encoded so spaces, `#` or `?` in names survive.
 */
export function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  const normalised = path.replaceAll('\\', '/');
  const segments = normalised.split('/').filter((segment, index) => !(index === 0 && segment === '.'));
  const uri = segments.map((segment) => encodeURIComponent(segment)).join('/');
  if (normalised.startsWith('/')) return { uri: `file://${uri}` };
  return { uri, uriBaseId: '%SRCROOT%' };
}
