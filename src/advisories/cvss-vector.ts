import { AdvisoryError } from './errors.js';

/** Longest vector accepted: a full CVSS v4.0 vector with every optional metric is about 200 characters. */
const maxVectorLength = 300;

/**
 * Splits `PREFIX/K:V/K:V…` into metrics, rejecting repeats, unknown metrics and values outside
 * `allowed`. Bounded: one split over at most `maxVectorLength` characters.
 */
export function parseCvssMetrics(
  vector: string,
  prefix: string,
  allowed: Readonly<Record<string, readonly string[]>>,
): Map<string, string> {
  if (vector.length > maxVectorLength || !vector.startsWith(prefix)) {
    throw new AdvisoryError('CVSS_INVALID', `not a ${prefix} vector: ${vector.slice(0, 80)}`);
  }
  const metrics = new Map<string, string>();
  for (const part of vector.slice(prefix.length).split('/')) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined) {
      throw new AdvisoryError('CVSS_INVALID', `malformed metric "${part}" in ${vector}`);
    }
    if (metrics.has(key)) throw new AdvisoryError('CVSS_INVALID', `metric ${key} repeated in ${vector}`);
    const values = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!values) throw new AdvisoryError('CVSS_INVALID', `unknown metric ${key} in ${vector}`);
    if (!values.includes(value)) {
      throw new AdvisoryError('CVSS_INVALID', `metric ${key} cannot be ${value} in ${vector}`);
    }
    metrics.set(key, value);
  }
  return metrics;
}

/** Throws unless every one of `required` is present. */
export function requireCvssMetrics(
  metrics: ReadonlyMap<string, string>,
  required: readonly string[],
  vector: string,
): void {
  for (const key of required) {
    if (!metrics.has(key)) throw new AdvisoryError('CVSS_INVALID', `base metric ${key} missing in ${vector}`);
  }
}
