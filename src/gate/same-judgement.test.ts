/**
 * The gate composes the domains' own functions, so the same real repository and artefact judged
 * by the gate and by `shipguard secrets`, `shipguard verify` and `shipguard vulns` get the same
 * judgement: the same secret findings, the same verification outcome, the same vulnerabilities.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attest, createEd25519Signer } from '../provenance/index.js';
import { createStoreAccess, openStore, type Store } from '../store/index.js';
import { fakeCredentials } from '../testing/fake-credentials.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { runCli } from '../testing/run-cli.js';
import { cycloneDxSbom, library } from '../testing/sbom-documents.js';
import { leftPadAdvisory, npmAdvisory, storeTestAdvisories } from '../testing/test-advisories.js';
import { runVulns } from '../vulns/index.js';
import type { GateInputs } from './decide.js';
import { readArtifact } from './fact.js';
import { gatherInputs } from './gather.js';
import { readProtectedPolicy } from './protected-policy.js';
import type { GateRunOptions } from './run-options.js';

const tuesday = new Date('2026-06-09T10:00:00+01:00');

describe('the gate and the domain commands judge the same input alike', () => {
  let origin: TestRepository;
  let folder: string;
  let clone: string;
  let dbPath: string;
  let keyPath: string;
  let options: GateRunOptions;
  let inputs: GateInputs;
  const credential = fakeCredentials(7)[0];
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  async function gather(overrides: Partial<GateRunOptions> = {}): Promise<GateInputs> {
    const run = { ...options, ...overrides };
    const store: Store = await openStore({ kind: 'sqlite', path: dbPath });
    try {
      return await gatherInputs(
        run,
        await readProtectedPolicy(clone),
        { ok: true, value: await readArtifact(run.artifact) },
        { ok: true, value: store },
      );
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    if (!credential) throw new Error('no fake credential');
    origin = createTestRepository();
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    origin.write({
      'shipguard.yaml': 'gate:\n  environments:\n    production:\n      trustedKeys: [keys/release.pub]\n',
      'keys/release.pub': pem,
      [`config/${credential.path}`]: credential.content,
      'src/app.js': 'export const x = 1;\n',
    });
    origin.commit('Initial commit');
    folder = realpathSync(mkdtempSync(join(tmpdir(), 'shipguard-same-')));
    clone = join(folder, 'clone');
    origin.git('clone', '--quiet', origin.path, clone);
    keyPath = join(folder, 'release.pub');
    writeFileSync(keyPath, pem);
    const sbom = join(folder, 'sbom.cdx.json');
    writeFileSync(
      sbom,
      cycloneDxSbom([library('npm', 'left-pad', '1.3.0'), library('npm', 'lodash', '4.17.21')]),
    );
    const artifact = join(folder, 'app.tgz');
    writeFileSync(artifact, 'the release\n');
    const made = await attest({
      artifacts: [artifact],
      sbom,
      signer: createEd25519Signer(privateKey),
      allowDirty: false,
      cwd: clone,
      env: {},
    });
    const attestation = join(folder, 'app.intoto.json');
    writeFileSync(attestation, JSON.stringify(made.envelope));
    dbPath = join(folder, 'shipguard.db');
    const store = await openStore({ kind: 'sqlite', path: dbPath });
    try {
      // Fresh data: its age counts from the newest record's `modified`.
      const modified = new Date(Date.now() - 86_400_000).toISOString();
      await storeTestAdvisories(store, [
        npmAdvisory({ ...leftPadAdvisory, modified }),
        npmAdvisory({
          id: 'GHSA-lodash-0002',
          name: 'lodash',
          fixed: '4.17.20',
          severity: 'CRITICAL',
          modified,
        }),
      ]);
    } finally {
      await store.close();
    }
    options = {
      repositoryRoot: clone,
      artifact,
      environment: 'production',
      attestation,
      sbom,
      vex: [],
      deployer: 'erin',
      now: tuesday,
    };
    inputs = await gather();
  });

  afterAll(() => {
    origin?.remove();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('finds the same secrets as `shipguard secrets` on a checkout of the released commit', async () => {
    const cli = await runCli('secrets', clone, '--format', 'json');
    expect(cli.code).toBe(1);
    const report = JSON.parse(cli.stdout) as {
      findings: Array<{ ruleId: string; path: string; line: number; id: string }>;
    };
    const fromCommand = report.findings.map(({ ruleId, path, line, id }) => ({ ruleId, path, line, id }));
    expect(fromCommand.length).toBeGreaterThan(0);
    expect(fromCommand.map((item) => item.ruleId)).toContain(credential?.ruleId);
    if (!inputs.secrets.ok) throw new Error(inputs.secrets.error);
    expect(inputs.secrets.value.map(({ ruleId, path, line, id }) => ({ ruleId, path, line, id }))).toEqual(
      fromCommand,
    );
  });

  it('verifies the provenance as `shipguard verify` does, and rejects a changed artefact with the same code', async () => {
    const verify = (artifact: string) =>
      runCli(
        'verify',
        '--artifact',
        artifact,
        '--attestation',
        options.attestation ?? '',
        '--key',
        keyPath,
        '--format',
        'json',
      );
    const cli = await verify(options.artifact);
    expect(cli.code).toBe(0);
    const verified = JSON.parse(cli.stdout);
    if (!inputs.provenance.ok) throw new Error(inputs.provenance.error);
    expect(inputs.provenance.value).toMatchObject({
      verified: true,
      keyIds: verified.signer.keyIds,
      builderId: verified.builderId,
      sourceCommit: verified.source.commit,
    });

    const other = join(folder, 'other.tgz');
    writeFileSync(other, 'not the release\n');
    const rejected = await verify(other);
    expect(rejected.code).toBe(1);
    const gateRejected = await gather({ artifact: other });
    expect(gateRejected.provenance).toMatchObject({
      ok: true,
      value: { verified: false, code: JSON.parse(rejected.stdout).code },
    });
    expect(JSON.parse(rejected.stdout).code).toBe('SUBJECT_DIGEST_MISMATCH');
  });

  it('finds the same vulnerabilities as `shipguard vulns` on the attested SBOM', async () => {
    const store = createStoreAccess({ kind: 'sqlite', path: dbPath });
    const { report } = await runVulns(options.sbom ?? '', {
      store,
      settings: (await readProtectedPolicy(clone)).loaded.policy.supplyChain,
      now: tuesday,
    }).finally(() => store.close());
    const fromCommand = report.findings.map((finding) => ({
      id: finding.id,
      severity: finding.severity,
      fingerprint: finding.fingerprint,
    }));
    expect(fromCommand).toEqual([expect.objectContaining({ id: 'GHSA-left-pad-0001', severity: 'high' })]);
    if (!inputs.vulnerabilities.ok) throw new Error(inputs.vulnerabilities.error);
    expect(
      inputs.vulnerabilities.value.map(({ id, severity, fingerprint }) => ({ id, severity, fingerprint })),
    ).toEqual(fromCommand);
  });
});
