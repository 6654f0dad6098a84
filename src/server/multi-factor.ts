/**
 * Multi-factor sign-in, as the identity provider reports it (decision 0010). shipguard holds no
 * password and no second factor: the provider authenticates, and its ID token says how, in `amr`
 * (RFC 8176 method names) and `acr` (an authentication context class the provider defines). The
 * policy's privileged roles act only in a session whose sign-in showed more than one factor.
 */
import type { ServerRole } from './pages/index.js';

/** Who must show a second factor: the privileged roles (default), every role, or nobody. */
export type MultiFactorRequirement = 'privileged' | 'everyone' | 'nobody';

/** Roles that change who may do what or approve what others did: administrator, CTO, ISMS manager. */
export const privilegedRoles: readonly ServerRole[] = ['administrator', 'cto', 'isms-manager'];

/** OpenID's PAPE class for a multi-factor sign-in, the one `acr` value every provider may use. */
export const defaultMultiFactorAcr = ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'];

/** RFC 8176 methods that are all something the person knows: two of them are still one factor. */
const knowledgeMethods = new Set(['pwd', 'pin', 'kba']);

/**
 * Whether the ID token shows a sign-in with more than one factor: `amr` holds `mfa`, or two or
 * more methods of which one is not a secret the person knows (`pwd` + `otp`, `pwd` + `hwk`), or
 * `acr` is one of the classes the configuration accepts as multi-factor.
 */
export function showsMultiFactor(
  claims: { amr?: unknown; acr?: unknown },
  acceptedAcr: readonly string[],
): boolean {
  if (typeof claims.acr === 'string' && acceptedAcr.includes(claims.acr)) return true;
  if (!Array.isArray(claims.amr)) return false;
  const methods = new Set(claims.amr.filter((method): method is string => typeof method === 'string'));
  if (methods.has('mfa')) return true;
  return methods.size >= 2 && [...methods].some((method) => !knowledgeMethods.has(method));
}

/** Of `roles`, those a session without a second factor may not use under `requirement`. */
export function rolesNeedingMultiFactor(
  requirement: MultiFactorRequirement,
  roles: readonly ServerRole[],
): ServerRole[] {
  if (requirement === 'nobody') return [];
  if (requirement === 'everyone') return [...roles];
  return roles.filter((role) => privilegedRoles.includes(role));
}

/**
 * The server's requirement: the configured one with a provider; none for the local sign-in
 * (loopback only, no provider to show a second factor).
 */
export function multiFactorRequirementOf(config: {
  oidc?: { multiFactor: { requiredFor: MultiFactorRequirement } };
}): MultiFactorRequirement {
  return config.oidc?.multiFactor.requiredFor ?? 'nobody';
}
