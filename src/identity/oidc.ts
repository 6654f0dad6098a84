/**
 * CI workload identities: an OIDC ID token (GitHub Actions, GitLab CI) verified with jose against
 * the key set its issuer publishes (discovery document → jwks_uri), then its claims matched
 * against the protected policy's `principals.workloads`. Nothing in the token is taken before its
 * signature, issuer, audience and lifetime check out; `alg: none` and HMAC tokens are refused.
 */
import type { JWTPayload } from 'jose';
import type { WorkloadRule } from '../policy/index.js';
import { IdentityError } from './errors.js';
import { normaliseName } from './names.js';
import { type Principal, workloadPrincipalId } from './principal.js';

/** What a CI workload token says about where it runs, whatever the CI's claim names. */
export interface WorkloadClaims {
  issuer: string;
  subject: string;
  repository: string;
  /** Full ref, e.g. refs/heads/main. */
  ref: string;
  environment?: string;
  /** The token's id, for single use. */
  tokenId?: string;
  expiresAt: string;
}

export interface VerifiedWorkload {
  principal: Principal;
  claims: WorkloadClaims;
  rule: WorkloadRule;
}

const maxTokenBytes = 16 * 1024;
const maxDiscoveryBytes = 64 * 1024;
const allowedAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/** https, or http on a loopback address (a local issuer, and the tests' real issuer). */
function checkIssuerUrl(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new IdentityError('IDENTITY_TOKEN_INVALID', `the issuer ${issuer.slice(0, 100)} is not a URL`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new IdentityError('IDENTITY_TOKEN_INVALID', `the issuer ${issuer.slice(0, 100)} is not https`);
  }
  return url;
}

async function fetchBounded(url: URL): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new IdentityError('IDENTITY_ISSUER_UNAVAILABLE', `cannot fetch ${url.origin}${url.pathname}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new IdentityError(
      'IDENTITY_ISSUER_UNAVAILABLE',
      `${url.origin}${url.pathname} answered ${response.status}`,
    );
  }
  const text = await response.text();
  if (Buffer.byteLength(text) > maxDiscoveryBytes) {
    throw new IdentityError(
      'IDENTITY_ISSUER_UNAVAILABLE',
      `${url.pathname} is larger than ${maxDiscoveryBytes} bytes`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IdentityError('IDENTITY_ISSUER_UNAVAILABLE', `${url.pathname} is not JSON`, { cause: error });
  }
}

/** The issuer's key set URL from its discovery document; it must name the same issuer and origin. */
async function discoverKeySet(issuer: string): Promise<URL> {
  const base = checkIssuerUrl(issuer);
  const discovery = await fetchBounded(
    new URL(`${base.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`, base),
  );
  const document = discovery as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer || typeof document.jwks_uri !== 'string') {
    throw new IdentityError(
      'IDENTITY_ISSUER_UNAVAILABLE',
      `the discovery document of ${issuer} names another issuer or no jwks_uri`,
    );
  }
  const keys = new URL(document.jwks_uri);
  if (keys.origin !== base.origin) {
    throw new IdentityError(
      'IDENTITY_ISSUER_UNAVAILABLE',
      `the key set of ${issuer} is on another origin (${keys.origin})`,
    );
  }
  return keys;
}

/** How long an issuer's discovery answer is reused; its key set refetches itself on an unknown key. */
const keySetReuseMs = 10 * 60_000;
type RemoteKeySet = ReturnType<typeof import('jose').createRemoteJWKSet>;
/**
 * Each trusted issuer's key set, reused for a while: every token presented would otherwise make
 * the server fetch the issuer's discovery document and keys again, for anyone who sends one.
 * Keyed by issuers the policy trusts only (a token naming another is refused before), so bounded.
 */
const keySets = new Map<string, { keySet: RemoteKeySet; until: number }>();

async function issuerKeySet(
  issuer: string,
  create: typeof import('jose').createRemoteJWKSet,
): Promise<RemoteKeySet> {
  const kept = keySets.get(issuer);
  if (kept && kept.until > Date.now()) return kept.keySet;
  // A failed discovery is not kept: the next token asks again.
  const keySet = create(await discoverKeySet(issuer), { timeoutDuration: 5_000 });
  keySets.set(issuer, { keySet, until: Date.now() + keySetReuseMs });
  return keySet;
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length <= 1000 ? value : undefined;
}

/** GitHub Actions and GitLab CI name the same facts differently. */
export function readWorkloadClaims(payload: JWTPayload): WorkloadClaims {
  const gitlab = stringClaim(payload, 'project_path') !== undefined;
  const repository = gitlab ? stringClaim(payload, 'project_path') : stringClaim(payload, 'repository');
  let ref = gitlab ? stringClaim(payload, 'ref_path') : stringClaim(payload, 'ref');
  if (gitlab && ref === undefined) {
    const short = stringClaim(payload, 'ref');
    const type = stringClaim(payload, 'ref_type');
    if (short !== undefined && type === 'branch') ref = `refs/heads/${short}`;
    if (short !== undefined && type === 'tag') ref = `refs/tags/${short}`;
  }
  if (payload.iss === undefined || payload.sub === undefined || payload.exp === undefined) {
    throw new IdentityError('IDENTITY_TOKEN_INVALID', 'the token lacks iss, sub or exp');
  }
  if (repository === undefined || ref === undefined) {
    throw new IdentityError(
      'IDENTITY_TOKEN_INVALID',
      'the token names no repository or ref (not a CI workload token)',
    );
  }
  const claims: WorkloadClaims = {
    issuer: payload.iss,
    subject: payload.sub,
    repository,
    ref,
    expiresAt: new Date(payload.exp * 1000).toISOString(),
  };
  const environment = stringClaim(payload, 'environment');
  if (environment !== undefined) claims.environment = environment;
  if (typeof payload.jti === 'string') claims.tokenId = payload.jti.slice(0, 200);
  return claims;
}

function matchRule(
  rule: WorkloadRule,
  claims: WorkloadClaims,
  environment: string | undefined,
): string | undefined {
  if (rule.repository.toLowerCase() !== claims.repository.toLowerCase()) {
    return `repository ${claims.repository} is not ${rule.repository}`;
  }
  if (!rule.refs.includes(claims.ref)) return `ref ${claims.ref} is not one of ${rule.refs.join(', ')}`;
  if (rule.environments.length > 0 && !rule.environments.includes(claims.environment ?? '')) {
    return `environment ${claims.environment ?? '(none)'} is not one of ${rule.environments.join(', ')}`;
  }
  if (environment !== undefined && claims.environment !== environment) {
    return `the token was minted for environment ${claims.environment ?? '(none)'}, not ${environment}`;
  }
  return undefined;
}

export interface VerifyWorkloadOptions {
  /** Verify as of this time (a ledgered statement is re-verified at the time it was recorded). */
  at?: Date;
  /** When set, the token must have been minted for this CI environment. */
  environment?: string;
}

/**
 * Verifies an ID token against every workload rule whose issuer and audience it claims; the
 * first rule it satisfies gives the principal. Every failure is an IdentityError.
 */
export async function verifyWorkloadToken(
  token: string,
  rules: readonly WorkloadRule[],
  options: VerifyWorkloadOptions = {},
): Promise<VerifiedWorkload> {
  const compact = token.trim();
  if (
    compact.length === 0 ||
    Buffer.byteLength(compact) > maxTokenBytes ||
    !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(compact)
  ) {
    throw new IdentityError('IDENTITY_TOKEN_INVALID', 'not a compact JWT');
  }
  // Loaded when a token is verified, not by every command that reaches this module.
  const { createRemoteJWKSet, decodeJwt, jwtVerify } = await import('jose');
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(compact);
  } catch (error) {
    throw new IdentityError('IDENTITY_TOKEN_INVALID', 'not a readable JWT', { cause: error });
  }
  const candidates = rules.filter((rule) => rule.issuer === unverified.iss);
  if (candidates.length === 0) {
    throw new IdentityError(
      'IDENTITY_WORKLOAD_NOT_ALLOWED',
      `no workload rule trusts the issuer ${String(unverified.iss).slice(0, 100)}`,
    );
  }
  const issuer = candidates[0]?.issuer ?? '';
  const keySet = await issuerKeySet(issuer, createRemoteJWKSet);
  const reasons: string[] = [];
  for (const rule of candidates) {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(compact, keySet, {
        issuer: rule.issuer,
        audience: rule.audience,
        algorithms: allowedAlgorithms,
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: 30,
        ...(options.at ? { currentDate: options.at } : {}),
      }));
    } catch (error) {
      if (error instanceof IdentityError) throw error;
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC') {
        throw new IdentityError('IDENTITY_ISSUER_UNAVAILABLE', `the key set of ${issuer} could not be read`, {
          cause: error,
        });
      }
      reasons.push(`${rule.name}: ${(error as Error).message} [${code}]`);
      continue;
    }
    const claims = readWorkloadClaims(payload);
    const mismatch = matchRule(rule, claims, options.environment);
    if (mismatch) {
      reasons.push(`${rule.name}: ${mismatch}`);
      continue;
    }
    return {
      principal: {
        id: workloadPrincipalId(claims.issuer, claims.subject),
        kind: 'workload',
        name: normaliseName(rule.name),
        emails: [],
      },
      claims,
      rule,
    };
  }
  const signatureFailure = reasons.some((reason) => /\[ERR_J/.test(reason));
  throw new IdentityError(
    signatureFailure ? 'IDENTITY_TOKEN_INVALID' : 'IDENTITY_WORKLOAD_NOT_ALLOWED',
    `the ID token is not accepted: ${reasons.join('; ').slice(0, 800)}`,
  );
}
