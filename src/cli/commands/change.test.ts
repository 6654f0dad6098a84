import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatVerifierKey } from '../../ledger/index.js';
import { openStore, type StoreLocation } from '../../store/index.js';
import { endlessFifo } from '../../testing/endless-fifo.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { startTestIssuer, type TestIssuer } from '../../testing/oidc-issuer.js';
import { runCli } from '../../testing/run-cli.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

function pem(
  key: { export(options: { format: 'pem'; type: 'spki' | 'pkcs8' }): string | Buffer },
  type: 'spki' | 'pkcs8',
) {
  return key.export({ format: 'pem', type }).toString();
}

/**
 * A repository whose protected branch (origin/main) registers Alice (PEM key), Bob (an OpenSSH
 * key in allowed_signers), the release workload and the ledger's checkpoint key; Dan wrote the
 * commit to release. Keys live outside the repository's tracked files.
 */
interface ReleaseSetup {
  repository: TestRepository;
  commit: string;
  file: (name: string) => string;
}

function releaseRepository(): ReleaseSetup {
  const repository = createTestRepository();
  const file = (name: string) => join(repository.path, '.git', name);
  const alice = generateKeyPairSync('ed25519');
  const mallory = generateKeyPairSync('ed25519');
  const ledgerKey = generateKeyPairSync('ed25519');
  writeFileSync(file('alice.key'), pem(alice.privateKey, 'pkcs8'));
  writeFileSync(file('mallory.key'), pem(mallory.privateKey, 'pkcs8'));
  writeFileSync(file('ledger.key'), pem(ledgerKey.privateKey, 'pkcs8'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bob@example.com', '-f', file('bob')]);
  const bobPublic = readFileSync(file('bob.pub'), 'utf8').trim().split(' ');
  const policy = (extraKeys: string) => `
principals:
  keys:
    - name: Alice
      emails: [alice@example.com]
      publicKey: keys/alice.pub
${extraKeys}
  allowedSigners: .shipguard/allowed_signers
  workloads:
    - name: release pipeline
      issuer: ${issuer.url}
      audience: shipguard
      repository: acme/service
      refs: [refs/heads/main]
      environments: [production]
ledger:
  checkpointKeys: ["${formatVerifierKey({ name: 'test/ledger', publicKey: ledgerKey.publicKey })}"]
`;
  repository.write({
    'shipguard.yaml': policy(''),
    'keys/alice.pub': pem(alice.publicKey, 'spki'),
    '.shipguard/allowed_signers': `bob@example.com ${bobPublic[0]} ${bobPublic[1]}\n`,
  });
  repository.commit('policy and principals');
  repository.write({ 'app.js': 'console.log(1)\n' });
  const commit = repository.commit('feature', { author: 'Dan Developer <dan@example.com>' });
  repository.git('update-ref', 'refs/remotes/origin/main', 'main');
  repository.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  // The working tree registers Mallory: not the protected branch, so not taken.
  repository.write({
    'shipguard.yaml': policy('    - name: Mallory\n      publicKey: keys/mallory.pub'),
    'keys/mallory.pub': pem(mallory.publicKey, 'spki'),
  });
  return { repository, commit, file };
}

function describeChangeCli(name: string, backend: StoreBackend): void {
  describe(`shipguard change on ${name}`, () => {
    let location: StoreLocation;
    let repository: TestRepository | undefined;
    beforeAll(async () => {
      location = await backend.createLocation();
    });
    afterEach(async () => {
      repository?.remove();
      await backend.removeLocation?.(location);
      location = await backend.createLocation();
    });
    const db = () => (location.kind === 'sqlite' ? location.path : location.url);
    /** Alice opens a change to release the setup's commit to production. */
    const createChange = (setup: ReleaseSetup, changeClass: string, title: string, id: string) =>
      runCli(
        'change',
        'create',
        ...['-C', setup.repository.path, '--db', db()],
        ...['--class', changeClass, '--title', title, '--id', id],
        ...['--key', setup.file('alice.key'), '--commit', setup.commit, '--env', 'production'],
      );
    /** Asks the gate whether the change lets the setup's commit reach the environment. */
    const verifyChange = (setup: ReleaseSetup, id: string, environment: string, ...extra: string[]) =>
      runCli(
        'change',
        'verify',
        id,
        ...['-C', setup.repository.path, '--db', db()],
        ...['--env', environment, '--commit', setup.commit, ...extra],
      );
    /** Signs a ledger checkpoint with the key the policy registers. */
    const checkpointLedger = (setup: ReleaseSetup) =>
      runCli(
        'ledger',
        'checkpoint',
        '--db',
        db(),
        '--key',
        setup.file('ledger.key'),
        '--origin',
        'test/ledger',
      );

    it('takes proof, not names: the author and unregistered keys cannot approve, a second principal can, and the ledger vouches for it', async () => {
      const setup = releaseRepository();
      repository = setup.repository;
      const { file } = setup;
      const common = ['-C', repository.path, '--db', db()];
      const create = await createChange(setup, 'normal', 'Ship it', 'CHG-1');
      expect(create.code, create.stderr).toBe(0);
      expect(create.stdout).toContain('author     Alice');
      const self = await runCli('change', 'approve', 'CHG-1', ...common, '--key', file('alice.key'));
      expect(self.code).toBe(1);
      expect(self.stderr).toContain('CHANGE_SEPARATION_OF_DUTIES');
      const stranger = await runCli('change', 'approve', 'CHG-1', ...common, '--key', file('mallory.key'));
      expect(stranger.code).toBe(1);
      expect(stranger.stderr).toContain('IDENTITY_KEY_UNREGISTERED');
      expect((await runCli('change', 'approve', 'CHG-1', ...common, '--by', 'bob')).code).toBe(2);
      expect((await runCli('change', 'approve', 'CHG-1', ...common)).code).toBe(2);
      const approve = await runCli('change', 'approve', 'CHG-1', ...common, '--key', file('bob'));
      expect(approve.code, approve.stderr).toBe(0);
      expect(approve.stdout).toContain('approved   by bob@example.com [key:');

      const early = await verifyChange(setup, 'CHG-1', 'production');
      expect(early.code).toBe(1);
      expect(early.stdout).toContain('checkpoint');
      const checkpoint = await checkpointLedger(setup);
      expect(checkpoint.code, checkpoint.stderr).toBe(0);
      const verified = await verifyChange(setup, 'CHG-1', 'production');
      expect(verified.code, verified.stdout).toBe(0);
      expect(verified.stdout).toContain('APPROVED');
      expect((await verifyChange(setup, 'CHG-1', 'staging')).code).toBe(1);
      const state = file('ledger-state.json');
      const clean = await runCli('ledger', 'verify', '--db', db(), '--state', state);
      expect(clean.code, clean.stdout).toBe(0);

      // A row edited straight in the store: the ledger verifier sees it, and the gate ignores it.
      const store = await openStore(location);
      try {
        await sql`update changes set document = replace(document, '"status":"approved"', '"status":"approvedX"')`.execute(
          store.db,
        );
      } finally {
        await store.close();
      }
      const tampered = await runCli('ledger', 'verify', '--db', db(), '--state', state);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain('CHG-1: the stored row differs from its newest ledger entry');
    });

    it('streams an --artifact file into its digest and refuses one that never ends', async () => {
      const setup = releaseRepository();
      repository = setup.repository;
      const fifo = endlessFifo(setup.file(''), 'endless.tgz');
      try {
        const created = await runCli(
          'change',
          'create',
          ...['-C', setup.repository.path, '--db', db()],
          ...['--class', 'normal', '--title', 'Release', '--id', 'CHG-FIFO'],
          ...['--key', setup.file('alice.key'), '--artifact', fifo.path, '--env', 'production'],
        );
        expect(created.code).toBe(2);
        expect(created.stderr).toContain('neither a readable file');
      } finally {
        fifo.stop();
      }
    }, 20_000);

    it('takes a CI workload identity (an ID token from a real issuer) as an approver', async () => {
      const setup = releaseRepository();
      repository = setup.repository;
      const { file } = setup;
      const common = ['-C', repository.path, '--db', db()];
      expect((await createChange(setup, 'emergency', 'Hotfix', 'EMG-1')).code).toBe(0);
      writeFileSync(file('token.jwt'), await issuer.token({ repository: 'mallory/fork' }));
      const fork = await runCli('change', 'approve', 'EMG-1', ...common, '--oidc-token', file('token.jwt'));
      expect(fork.code).toBe(1);
      expect(fork.stderr).toContain('IDENTITY_WORKLOAD_NOT_ALLOWED');
      writeFileSync(file('token.jwt'), await issuer.token());
      const approve = await runCli(
        'change',
        'approve',
        'EMG-1',
        ...common,
        '--oidc-token',
        file('token.jwt'),
      );
      expect(approve.code, approve.stderr).toBe(0);
      expect(approve.stdout).toContain('release pipeline');
      await checkpointLedger(setup);
      const verified = await verifyChange(setup, 'EMG-1', 'production', '--format', 'json');
      expect(verified.code, verified.stdout).toBe(0);
      expect(JSON.parse(verified.stdout).change.expiresAt).toMatch(/^\d{4}-/);

      // The same token replayed to approve another change: accepted at the command line while it
      // is fresh, but the ledger holds it already, so the gate does not count it.
      const other = await createChange(setup, 'emergency', 'Other', 'EMG-2');
      expect(other.code, other.stderr).toBe(0);
      expect(
        (await runCli('change', 'approve', 'EMG-2', ...common, '--oidc-token', file('token.jwt'))).code,
      ).toBe(0);
      await checkpointLedger(setup);
      const replayed = await verifyChange(setup, 'EMG-2', 'production');
      expect(replayed.code, replayed.stdout).toBe(1);
      expect(replayed.stdout).toContain('already used in ledger entry');
    });
  });
}

await describeOnEveryStore('shipguard change', describeChangeCli);
