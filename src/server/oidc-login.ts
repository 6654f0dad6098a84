/**
 * OpenID Connect sign-in with openid-client: the authorization code flow with PKCE (S256), a
 * random state and nonce per attempt, and openid-client's checks of the ID token (signature,
 * issuer, audience, expiry, nonce). The attempt's verifier, state and nonce travel in a signed,
 * HttpOnly cookie that lives ten minutes and is cleared at the callback, so any server instance
 * can finish the sign-in and nothing about it is stored.
 */
import * as client from 'openid-client';
import type { ServerConfig } from './config.js';
import { ServerError } from './errors.js';
import { showsMultiFactor } from './multi-factor.js';

export interface SignInAttempt {
  state: string;
  nonce: string;
  verifier: string;
  /** SHA-256 of the bootstrap token the person presented before signing in (first administrator). */
  bootstrap?: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  name: string;
  email?: string;
  /** The ID token's `amr`/`acr` showed more than one factor (decision 0010). */
  multiFactor: boolean;
}

export interface OidcSignIn {
  /** Where to send the browser, and the attempt to keep in the sign-in cookie. */
  begin(redirectUri: string): Promise<{ url: URL; attempt: SignInAttempt }>;
  /** Checks the callback against the attempt and returns who signed in. */
  finish(callbackUrl: URL, attempt: SignInAttempt): Promise<OidcIdentity>;
}

export function createOidcSignIn(oidc: NonNullable<ServerConfig['oidc']>): OidcSignIn {
  let configuration: Promise<client.Configuration> | undefined;
  function discover(): Promise<client.Configuration> {
    configuration ??= client
      .discovery(
        oidc.issuer,
        oidc.clientId,
        undefined,
        client.ClientSecretPost(oidc.clientSecret),
        // Plain http only for an issuer on loopback (a development provider); config refuses it elsewhere.
        oidc.issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw new ServerError(
          'SERVER_OIDC_UNAVAILABLE',
          `the identity provider ${oidc.issuer.origin} could not be discovered`,
          { cause: error },
        );
      });
    return configuration;
  }
  return {
    async begin(redirectUri) {
      const config = await discover();
      const attempt: SignInAttempt = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: oidc.scopes.join(' '),
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(attempt.verifier),
        code_challenge_method: 'S256',
        state: attempt.state,
        nonce: attempt.nonce,
        ...(oidc.multiFactor.requestAcr && oidc.multiFactor.acr.length > 0
          ? { acr_values: oidc.multiFactor.acr.join(' ') }
          : {}),
      });
      return { url, attempt };
    },
    async finish(callbackUrl, attempt) {
      const config = await discover();
      let claims: client.IDToken | undefined;
      let profile: Record<string, unknown> = {};
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: attempt.verifier,
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
        // Many providers put name and e-mail only in the userinfo answer, checked against the ID token's subject.
        if (claims && (typeof claims['email'] !== 'string' || typeof claims['name'] !== 'string'))
          profile = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)) };
      } catch (error) {
        throw new ServerError(
          'SERVER_SIGN_IN_REFUSED',
          'the identity provider’s answer did not pass its checks',
          {
            cause: error,
          },
        );
      }
      if (!claims) throw new ServerError('SERVER_SIGN_IN_REFUSED', 'no ID token in the answer');
      const merged: Record<string, unknown> = { ...profile, ...claims };
      const email = typeof merged['email'] === 'string' ? merged['email'] : undefined;
      const name =
        typeof merged['name'] === 'string' && merged['name'] ? merged['name'] : (email ?? claims.sub);
      return {
        issuer: claims.iss,
        subject: claims.sub,
        name: name.slice(0, 200),
        ...(email ? { email: email.slice(0, 320) } : {}),
        // From the ID token alone (signed by the provider), never from the userinfo answer.
        multiFactor: showsMultiFactor({ amr: claims['amr'], acr: claims['acr'] }, oidc.multiFactor.acr),
      };
    },
  };
}
