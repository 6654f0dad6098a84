import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';

/**
 * A real OpenID issuer on loopback for tests: it serves a discovery document and a JWKS over
 * HTTP, and signs ID tokens (GitHub Actions shaped by default) with the published key.
 */
export interface TestIssuer {
  url: string;
  key: KeyObject;
  keyId: string;
  /** Paths requested so far. */
  requests: string[];
  /** Signs a token; `claims` are merged over a GitHub Actions token for acme/service on main. */
  token(
    claims?: Record<string, unknown>,
    options?: {
      key?: KeyObject;
      alg?: string;
      expiresIn?: string | number;
      audience?: string;
      subject?: string;
    },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyId = 'issuer-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: 'ES256', use: 'sig' };
  const requests: string[] = [];
  let url = '';
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      response.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/.well-known/jwks` }));
    } else if (request.url === '/.well-known/jwks') {
      response.end(JSON.stringify({ keys: [jwk] }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let serial = 0;
  return {
    url,
    key: privateKey,
    keyId,
    requests,
    token(claims = {}, options = {}) {
      serial += 1;
      return new SignJWT({
        repository: 'acme/service',
        ref: 'refs/heads/main',
        environment: 'production',
        jti: `token-${serial}`,
        ...claims,
      })
        .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: keyId })
        .setIssuer(url)
        .setSubject(options.subject ?? 'repo:acme/service:environment:production')
        .setAudience(options.audience ?? 'shipguard')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.key ?? privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
