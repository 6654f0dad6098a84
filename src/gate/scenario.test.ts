/**
 * The acceptance scenario of the deploy gate, end to end with real parts: a git repository with a
 * reviewed merge, provenance signed by `attest` with an Ed25519 key made here, a SQLite store
 * holding the change, the assessment and the advisory data, and the ledger.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceSource } from '../advisories/index.js';
import { approveChange, createChange, recordChange } from '../changes/index.js';
import { openCommandStore, renderGateJson, renderGateTable } from '../cli/index.js';
import { hashLeaf, proveInclusion, readEntries, readHead, verifyInclusion } from '../ledger/index.js';
import { loadPolicy } from '../policy/index.js';
import { attest, createEd25519Signer } from '../provenance/index.js';
import { openStore, type Store } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { buildAssessment, sampleControl } from '../testing/sample-assessment.js';
import { type GateDependencies, type GateRunOptions, ledgerAppend, runGate } from './gather.js';

const policyYaml = `gate:
  environments:
    production:
      timeZone: Europe/London
      responders:
        people: [carol, dave]
        minimum: 1
        withinHours: 24
`;

describe('deploy gate acceptance scenario', () => {
  let repo: TestRepository;
  let root: string;
  let folder: string;
  let dbPath: string;
  let options: Omit<GateRunOptions, 'at'>;
  let mergeCommit: string;

  beforeAll(async () => {
    repo = createTestRepository();
    repo.write({
      'shipguard.yaml': policyYaml,
      'README.md': '# service\n',
      'src/app.js': 'export const x = 1;\n',
    });
    repo.commit('Initial commit');
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.write({ 'src/app.js': 'export const x = 2;\n' });
    repo.commit('Raise x', { author: 'Dan Developer <dan@example.com>' });
    repo.git('checkout', '--quiet', 'main');
    repo.git(
      'merge',
      '--quiet',
      '--no-ff',
      '--no-gpg-sign',
      '-m',
      "Merge branch 'feature'\n\nReviewed-by: Rita Reviewer <rita@example.com>",
      'feature',
    );
    mergeCommit = repo.git('rev-parse', 'HEAD');
    root = realpathSync(repo.path);

    folder = realpathSync(mkdtempSync(join(tmpdir(), 'shipguard-gate-')));
    const artifact = join(folder, 'app.tgz');
    writeFileSync(artifact, 'the release artefact\n');
    const sbom = join(folder, 'sbom.cdx.json');
    writeFileSync(
      sbom,
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        version: 1,
        components: [{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
      }),
    );
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyPath = join(folder, 'release.pub');
    writeFileSync(keyPath, publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const made = await attest({
      artifacts: [artifact],
      signer: createEd25519Signer(privateKey),
      allowDirty: false,
      cwd: root,
      env: {},
    });
    const attestation = join(folder, 'app.intoto.json');
    writeFileSync(attestation, JSON.stringify(made.envelope));

    dbPath = join(folder, 'shipguard.db');
    const store = await openStore({ kind: 'sqlite', path: dbPath });
    try {
      const assessment = buildAssessment([sampleControl({ controlId: 'DEV-01', status: 'pass' })], {
        id: 'assessment-of-merge',
        subject: { path: root, isGitRepository: true, commit: mergeCommit, branch: 'main' },
      });
      await store.saveAssessment(assessment, { repository: root });
      await replaceSource(
        store,
        {
          source: 'import:test',
          origin: 'test',
          importedAt: '2026-06-08T00:00:00Z',
          checkedAt: '2026-06-08T00:00:00Z',
          errors: 0,
        },
        [],
      );
      const policy = await loadPolicy(root);
      const settings = policy.policy.gate.changes;
      const now = new Date('2026-06-08T10:00:00Z');
      const change = createChange(
        {
          id: 'CHG-42',
          class: 'normal',
          title: 'Release x = 2',
          author: 'dan',
          commits: [mergeCommit],
          commitAuthors: ['Ada Tester <ada@example.com>', 'Dan Developer <dan@example.com>'],
          environment: 'production',
        },
        settings,
        now,
      );
      await recordChange(store, change, 'created', 'dan', now);
      await recordChange(store, approveChange(change, 'rita', settings, now), 'approved', 'rita', now);
    } finally {
      await store.close();
    }
    options = {
      repositoryRoot: root,
      artifact,
      environment: 'production',
      attestation,
      keys: [keyPath],
      change: 'CHG-42',
      sbom,
      vex: [],
      deployer: 'erin',
      policy: await loadPolicy(root),
    };
  });

  afterAll(() => {
    repo?.remove();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const realDependencies = (): GateDependencies => ({
    openStore: () => openCommandStore(root, dbPath),
    append: ledgerAppend,
  });
  // Friday 2026-06-12 15:30 BST and Tuesday 2026-06-09 10:00 BST.
  const friday = new Date('2026-06-12T15:30:00+01:00');
  const tuesday = new Date('2026-06-09T10:00:00+01:00');

  it('denies a production deploy on a Friday afternoon, naming the freeze, and allows it on a Tuesday; both are ledgered with valid proofs', async () => {
    const denied = await runGate({ ...options, at: friday }, realDependencies());
    expect(denied.decision.result).toBe('deny');
    expect(denied.exitCode).toBe(1);
    const freeze = denied.decision.rules.find((rule) => rule.id === 'freeze');
    expect(freeze?.outcome).toBe('fail');
    expect(freeze?.reason).toContain('weekend freeze (Friday 15:00 to Monday 08:00)');
    expect(denied.decision.rules.filter((rule) => rule.outcome === 'fail').map((rule) => rule.id)).toEqual([
      'freeze',
    ]);
    const table = renderGateTable(denied);
    expect(table).toMatch(/^DENY {2}production at 2026-06-12T14:30:00.000Z by erin/);
    expect(table).toMatch(/fail {5}freeze .*weekend freeze/);
    expect(JSON.parse(renderGateJson(denied))).toMatchObject({
      result: 'deny',
      exitCode: 1,
      ledgerIndex: denied.ledgerIndex,
    });

    const allowed = await runGate({ ...options, at: tuesday }, realDependencies());
    expect(allowed.decision.rules.filter((rule) => rule.outcome !== 'pass')).toEqual([]);
    expect(allowed.decision.result).toBe('allow');
    expect(allowed.exitCode).toBe(0);
    expect(allowed.decision.rules.find((rule) => rule.id === 'source-reviewed')?.reason).toContain(
      mergeCommit,
    );

    const store: Store = await openStore({ kind: 'sqlite', path: dbPath });
    try {
      const head = await readHead(store);
      for (const run of [denied, allowed]) {
        const index = run.ledgerIndex ?? -1;
        const [entry] = await readEntries(store, index, 1);
        const parsed = JSON.parse(entry?.entry ?? '{}');
        expect(parsed.type).toBe('gate.decided');
        expect(parsed.data).toMatchObject({
          decisionId: run.decisionId,
          result: run.decision.result,
          deployer: 'erin',
          environment: 'production',
        });
        expect(parsed.data.inputs.artifact).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(parsed.data.sourceCommit).toMatch(/^[0-9a-f]{40}$/);
        const proof = await proveInclusion(store, index, head.size);
        expect(Buffer.from(proof.leafHash)).toEqual(hashLeaf(Buffer.from(entry?.entry ?? '', 'utf8')));
        expect(() => verifyInclusion(proof)).not.toThrow();
        expect(() => verifyInclusion({ ...proof, root: Buffer.alloc(32) })).toThrow();
      }
    } finally {
      await store.close();
    }
  });

  it('denies with exit 3 when the store is unavailable', async () => {
    const blocker = join(folder, 'not-a-folder');
    writeFileSync(blocker, 'a file where the store folder should be');
    const run = await runGate(
      { ...options, at: tuesday },
      { openStore: () => openCommandStore(root, join(blocker, 'shipguard.db')), append: ledgerAppend },
    );
    expect(run.decision.result).toBe('deny');
    expect(run.exitCode).toBe(3);
    expect(run.decision.rules.find((rule) => rule.id === 'assessment')?.outcome).toBe('error');
    expect(run.ledgerError).toContain('store');
  });

  it('denies with exit 3 for a corrupted attestation', async () => {
    const corrupted = join(folder, 'corrupted.intoto.json');
    writeFileSync(
      corrupted,
      '{"payloadType": "application/vnd.in-toto+json", "payload": "%%%", "signatures": [',
    );
    const run = await runGate({ ...options, attestation: corrupted, at: tuesday }, realDependencies());
    expect(run.decision.result).toBe('deny');
    expect(run.exitCode).toBe(3);
    expect(run.decision.rules.find((rule) => rule.id === 'provenance')?.outcome).toBe('error');
  });

  it('denies with exit 3 when the ledger cannot be written, even when every rule passes', async () => {
    const run = await runGate(
      { ...options, at: tuesday },
      {
        openStore: () => openCommandStore(root, dbPath),
        append: () => Promise.reject(new Error('disk I/O error')),
      },
    );
    expect(run.decision.rules.every((rule) => rule.outcome === 'pass')).toBe(true);
    expect(run.decision.result).toBe('deny');
    expect(run.exitCode).toBe(3);
    expect(run.ledgerError).toContain('disk I/O error');
  });
});
