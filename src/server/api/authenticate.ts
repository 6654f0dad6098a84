/**
 * Who a bearer is: an API token (`sgp_…`) or a CI workload's OIDC ID token. Everything that is not
 * positively proved is `undefined`: unknown, expired or revoked tokens, an issuer not on the
 * allow-list, a wrong audience, a bad signature, an issuer that cannot be reached (fail closed).
 */
import { decodeJwt } from 'jose';
import { readWorkloadClaims, verifyWorkloadToken } from '../../identity/index.js';
import type { WorkloadRule } from '../../policy/index.js';
import { normaliseRemoteUrl } from '../../source-control/index.js';
import type { Store } from '../../store/index.js';
import type { RequestPrincipal } from '../principal.js';
import { apiTokenPrefix, findLiveApiToken } from './tokens.js';

/** A CI issuer the server trusts for uploads, and how its repository claim becomes a repository key. */
export interface WorkloadIssuer {
  /** e.g. https://token.actions.githubusercontent.com, https://gitlab.com */
  issuer: string;
  /** The audience CI must mint the token for (GitHub `core.getIDToken(aud)`, GitLab `id_tokens.aud`). */
  audience: string;
  /** The forge's host: `github.com` + `acme/api` → repository key `github.com/acme/api`. */
  host: string;
  /** Full refs an upload may come from (e.g. refs/heads/main); absent: any ref. */
  refs?: readonly string[];
}

export interface AuthenticateOptions {
  now: Date;
  workloadIssuers: readonly WorkloadIssuer[];
  /** Told why a bearer was refused (for the server's log; never the credential). */
  onRefused?: (reason: string) => void;
}

const maxHeaderLength = 16 * 1024;

/** The credential of `Authorization: Bearer …`, or undefined for any other shape. */
export function bearerCredential(header: string | undefined): string | undefined {
  if (header === undefined || header.length > maxHeaderLength) return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  return match?.[1];
}

export async function authenticateBearer(
  store: Store,
  authorization: string | undefined,
  options: AuthenticateOptions,
): Promise<RequestPrincipal | undefined> {
  const credential = bearerCredential(authorization);
  const refuse = (reason: string): undefined => {
    options.onRefused?.(reason);
    return undefined;
  };
  if (credential === undefined) return refuse('no bearer credential');
  if (credential.startsWith(apiTokenPrefix)) {
    const token = await findLiveApiToken(store, credential, options.now);
    if (!token) return refuse('unknown, expired or revoked API token');
    return {
      kind: 'token',
      tokenId: token.id,
      name: token.name,
      roles: token.roles,
      repositories: token.repositories,
    };
  }
  try {
    return await authenticateWorkload(credential, options);
  } catch (error) {
    return refuse(
      `workload token refused: ${error instanceof Error ? error.message.slice(0, 300) : 'invalid'}`,
    );
  }
}

/**
 * The repository a verified workload token names. The rule handed to identity's verifier is
 * built from the trusted issuer and the token's own repository and ref claims: those claims are
 * read before verification only to build the rule, and verifyWorkloadToken checks them again
 * from the verified payload, with the signature, issuer, audience and lifetime.
 */
async function authenticateWorkload(
  credential: string,
  options: AuthenticateOptions,
): Promise<RequestPrincipal | undefined> {
  const claimed = readWorkloadClaims(decodeJwt(credential));
  const trusted = options.workloadIssuers.find((item) => item.issuer === claimed.issuer);
  if (!trusted) throw new Error(`the issuer ${claimed.issuer.slice(0, 100)} is not trusted for uploads`);
  if (trusted.refs !== undefined && !trusted.refs.includes(claimed.ref)) {
    throw new Error(`uploads from ${claimed.ref.slice(0, 100)} are not allowed`);
  }
  const rule: WorkloadRule = {
    name: `CI ${claimed.repository}`.slice(0, 100),
    issuer: trusted.issuer,
    audience: trusted.audience,
    repository: claimed.repository,
    refs: [claimed.ref],
    environments: [],
  };
  const verified = await verifyWorkloadToken(credential, [rule], { at: options.now });
  const repository = normaliseRemoteUrl(`https://${trusted.host}/${verified.claims.repository}`).key;
  return {
    kind: 'workload',
    issuer: verified.claims.issuer,
    subject: verified.claims.subject,
    repository,
    ref: verified.claims.ref,
    roles: ['ci'],
  };
}
