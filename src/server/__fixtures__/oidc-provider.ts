/**
 * A real OpenID provider (oidc-provider) on loopback for sign-in tests. Its development login
 * form accepts any login (the login becomes the subject) and then asks for consent. The listening
 * port is taken first, so the issuer URL is known before the client's redirect URI is.
 *
 * How each login authenticated (`amr`, `acr` in its ID token) is the test's to say: by default a
 * password and a one-time code (`pwd`, `otp`), as an organisation's provider enforcing MFA reports.
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

export interface LoginAuthentication {
  amr?: string[];
  acr?: string;
}

export async function listenProvider(
  authentication: (login: string) => LoginAuthentication = () => ({ amr: ['pwd', 'otp'] }),
): Promise<TestProvider> {
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
        // acr and amr go with the openid scope, as an organisation's provider issues them.
        claims: { acr: null, amr: null, openid: ['sub', 'acr', 'amr'], email: ['email'], profile: ['name'] },
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
      // The development login finishes with the account only: add how it authenticated, as a
      // real login step does (oidc-provider keeps `amr`/`acr` of the login in its session).
      const finish = provider.interactionFinished.bind(provider);
      provider.interactionFinished = (request, response, result, options) =>
        finish(
          request,
          response,
          result['login'] && typeof result['login'] === 'object'
            ? {
                ...result,
                login: {
                  ...(result['login'] as { accountId: string }),
                  ...authentication((result['login'] as { accountId: string }).accountId),
                },
              }
            : result,
          options,
        );
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
