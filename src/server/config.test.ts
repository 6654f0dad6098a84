import { describe, expect, it } from 'vitest';
import { testSessionSecret } from './__fixtures__/server-harness.js';
import { isLoopbackHost, resolveServerConfig } from './config.js';
import { ServerError } from './errors.js';

const clientSecret = ['oidc', 'client', 'secret', 'value'].join('-');
const oidcFile =
  'publicUrl: https://shipguard.example.com\noidc:\n  issuer: https://id.example.com\n  clientId: shipguard\n';

function refusal(run: () => unknown): ServerError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServerError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('server configuration', () => {
  it('defaults to loopback, port 8080, 30 idle minutes, 12 absolute hours and the local sign-in', () => {
    const config = resolveServerConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.sessions).toEqual({ idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 });
    expect(config.localSignIn).toBe(true);
  });

  it('accepts OIDC behind https with both secrets, and turns the local sign-in off', () => {
    const config = resolveServerConfig({
      fileText: oidcFile,
      host: '0.0.0.0',
      oidcClientSecret: clientSecret,
      sessionSecret: testSessionSecret,
    });
    expect(config.localSignIn).toBe(false);
    expect(config.oidc?.issuer.href).toBe('https://id.example.com/');
  });

  it('refuses a non-loopback host without OIDC, and says why', () => {
    const error = refusal(() =>
      resolveServerConfig({
        host: '0.0.0.0',
        sessionSecret: testSessionSecret,
        fileText: 'publicUrl: https://a.example\n',
      }),
    );
    expect(error.code).toBe('SERVER_CONFIG_INSECURE');
    expect(error.message).toContain('no OIDC provider is configured');
  });

  it('refuses a public address outside loopback without OIDC, even on a loopback host (a proxy in front)', () => {
    const error = refusal(() =>
      resolveServerConfig({
        host: '127.0.0.1',
        sessionSecret: testSessionSecret,
        fileText: 'publicUrl: https://shipguard.example.com\n',
      }),
    );
    expect(error.code).toBe('SERVER_CONFIG_INSECURE');
    expect(error.message).toContain('the local sign-in is for loopback only');
    expect(resolveServerConfig({ fileText: 'publicUrl: http://127.0.0.1:8080\n' }).localSignIn).toBe(true);
  });

  it('refuses a public URL that is not https outside loopback', () => {
    const error = refusal(() =>
      resolveServerConfig({
        fileText: oidcFile.replace('https://shipguard', 'http://shipguard'),
        host: '0.0.0.0',
        oidcClientSecret: clientSecret,
        sessionSecret: testSessionSecret,
      }),
    );
    expect(error.code).toBe('SERVER_CONFIG_INSECURE');
    expect(error.message).toContain('is not https');
  });

  it('refuses OIDC without its client secret', () => {
    const error = refusal(() =>
      resolveServerConfig({ fileText: oidcFile, sessionSecret: testSessionSecret }),
    );
    expect(error.message).toContain('SHIPGUARD_OIDC_CLIENT_SECRET is not set');
  });

  it('refuses a short session secret, and a missing one outside loopback', () => {
    expect(refusal(() => resolveServerConfig({ sessionSecret: 'short' })).message).toContain(
      'shorter than 32',
    );
    const missing = refusal(() =>
      resolveServerConfig({ fileText: oidcFile, host: '10.0.0.5', oidcClientSecret: clientSecret }),
    );
    expect(missing.message).toContain('SHIPGUARD_SESSION_SECRET is not set');
  });

  it('refuses an unknown key, naming it, and out-of-range session times', () => {
    const unknown = refusal(() => resolveServerConfig({ fileText: 'sesions: {}\n', filePath: 'serve.yaml' }));
    expect(unknown.code).toBe('SERVER_CONFIG_INVALID');
    expect(unknown.message).toContain('serve.yaml');
    expect(unknown.message).toContain('sesions');
    expect(refusal(() => resolveServerConfig({ fileText: 'sessions:\n  absoluteHours: 48\n' })).code).toBe(
      'SERVER_CONFIG_INVALID',
    );
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.8.0.1', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', 'example.com', '::'].some(isLoopbackHost)).toBe(false);
  });
});
