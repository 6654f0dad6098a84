import { describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';

describe('shipguard serve', () => {
  it('refuses a non-loopback host without OIDC, says why, and exits 2', async () => {
    const run = await runCli('serve', '--host', '0.0.0.0', '--db', ':memory:');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no OIDC provider is configured');
  });

  it('refuses a configuration file it cannot read, naming it', async () => {
    const run = await runCli('serve', '--config', 'does-not-exist.yaml', '--db', ':memory:');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('does-not-exist.yaml');
  });
});
