/**
 * The deploy gate end to end with real parts, as an attacker would try it: an "origin" repository
 * whose protected main holds the policy and the release key, a real clone of it (so
 * refs/remotes/origin/HEAD exists as in CI), provenance signed by `attest` with Ed25519 keys made
 * here, a SQLite store with the change, the assessment and advisory data, and the ledger.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeSigner, createChange, recordSignedTransition } from '../changes/index.js';
import { openCommandStore, renderGateJson, renderGateTable } from '../cli/index.js';
import { loadPrincipalRegistry } from '../identity/index.js';
import {
  createCheckpoint,
  formatVerifierKey,
  hashLeaf,
  proveInclusion,
  readEntries,
  readHead,
  verifyInclusion,
} from '../ledger/index.js';
import { gateRuleIds, parsePolicy } from '../policy/index.js';
import { attest, createEd25519Signer, signEnvelope } from '../provenance/index.js';
import { loadRuleSet, scanWorkingTree } from '../secrets/index.js';
import { openStore, type Store, type StoreLocation } from '../store/index.js';
import { fakeCredentials } from '../testing/fake-credentials.js';
import { createTestRepository, signingWith, type TestRepository } from '../testing/git-repository.js';
import { buildAssessment, sampleControl } from '../testing/sample-assessment.js';
import { cycloneDxSbom, library } from '../testing/sbom-documents.js';
import { recordApprovedChange } from '../testing/signed-change.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import { leftPadAdvisory, npmAdvisory, storeTestAdvisories } from '../testing/test-advisories.js';
import { type GateDependencies, ledgerAppend, runGate } from './run.js';
import type { GateRunOptions } from './run-options.js';

// Dan authors changes, Rita approves them; the ledger key signs checkpoints. All registered on
// the protected branch, so the gate can verify the approval from the ledger alone.
const people = {
  dan: generateKeyPairSync('ed25519'),
  rita: generateKeyPairSync('ed25519'),
  erin: generateKeyPairSync('ed25519'),
};
const ledgerKey = generateKeyPairSync('ed25519');
const checkpointSigner = { name: 'ledger.example', privateKey: ledgerKey.privateKey };
const checkpointVerifierKey = formatVerifierKey({ name: 'ledger.example', publicKey: ledgerKey.publicKey });

const policyYaml = `principals:
  keys:
    - name: Dan Developer
      emails: [dan@example.com]
      publicKey: keys/dan.pub
    - name: Rita Reviewer
      emails: [rita@example.com]
      publicKey: keys/rita.pub
    - name: Erin Operator
      emails: [erin@example.com]
      publicKey: keys/erin.pub
ledger:
  checkpointKeys: ["${checkpointVerifierKey}"]
review:
  allowedSignersFile: keys/allowed_signers
pipelines:
  productionEnvironments: [customer-facing]
gate:
  environments:
    customer-facing:
      trustedKeys: ["keys/release.pub"]
    staging:
      trustedKeys: ["keys/release.pub"]
    production:
      timeZone: Europe/London
      trustedKeys: [keys/release.pub]
      responders:
        people: [carol, dave]
        minimum: 1
        withinHours: 24
`;

const gitEnvironment = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Mallory Branch',
  GIT_AUTHOR_EMAIL: 'mallory@example.com',
  GIT_COMMITTER_NAME: 'Mallory Branch',
  GIT_COMMITTER_EMAIL: 'mallory@example.com',
};

function pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

// Friday 2026-06-12 15:30 BST (inside the default weekend freeze) and Tuesday 2026-06-09 10:00 BST.
const friday = new Date('2026-06-12T15:30:00+01:00');
const tuesday = new Date('2026-06-09T10:00:00+01:00');

function describeGate(storeName: string, backend: StoreBackend): void {
  describe(`deploy gate with a protected policy (${storeName})`, () => {
    let origin: TestRepository;
    let clone: string;
    let folder: string;
    let dbPath: string;
    let location: StoreLocation;
    let mergeCommit: string;
    let base: Omit<GateRunOptions, 'now'>;
    const release = generateKeyPairSync('ed25519');
    const [credential] = fakeCredentials(3);
    if (!credential) throw new Error('no fake credential');
    const mallory = generateKeyPairSync('ed25519');
    const inClone = (...args: string[]) =>
      execFileSync('git', args, { cwd: clone, env: gitEnvironment, encoding: 'utf8' }).trim();

    /**
     * A change created by Dan and approved by Rita, each statement signed by a key registered on
     * the protected branch, under a signed checkpoint. An approval is used once, so each test that
     * needs an allow takes its own.
     */
    async function approveFreshChange(store: Store, id: string): Promise<string> {
      const loaded = parsePolicy(policyYaml, 'shipguard.yaml').policy;
      const registry = await loadPrincipalRegistry(origin.path, loaded.principals, 'main');
      await recordApprovedChange(
        store,
        {
          id,
          title: 'Release x = 2',
          author: 'Dan Developer',
          commits: [mergeCommit],
          commitAuthors: ['Ada Tester <ada@example.com>', 'Dan Developer <dan@example.com>'],
          environments: ['production'],
        },
        { author: people.dan.privateKey, approver: people.rita.privateKey, registry },
        loaded.gate.changes,
      );
      await createCheckpoint(store, 'ledger.example', checkpointSigner);
      return id;
    }

    async function freshChange(id: string): Promise<string> {
      const store = await openStore(location);
      try {
        return await approveFreshChange(store, id);
      } finally {
        await store.close();
      }
    }

    const sbomDocument = cycloneDxSbom([library('npm', 'left-pad', '1.3.0')]);
    const vexDocument = JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/1',
      author: 'release team',
      timestamp: '2026-06-01T00:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: 'GHSA-left-pad-0001' },
          products: [{ '@id': 'pkg:npm/left-pad@1.3.0' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ],
    });

    async function signedVex(key: KeyObject, name: string): Promise<string> {
      const envelope = await signEnvelope(Buffer.from(vexDocument), 'application/vnd.openvex+json', [
        createEd25519Signer(key),
      ]);
      const path = join(folder, name);
      writeFileSync(path, JSON.stringify(envelope));
      return path;
    }

    /** Signs provenance for an artefact built from the clone's HEAD, with the SBOM attested. */
    async function attestHead(
      key: KeyObject,
      name: string,
    ): Promise<{ artifact: string; attestation: string }> {
      const artifact = join(folder, `${name}.tgz`);
      writeFileSync(artifact, `artefact ${name}\n`);
      const made = await attest({
        artifacts: [artifact],
        sbom: join(folder, 'sbom.cdx.json'),
        signer: createEd25519Signer(key),
        allowDirty: false,
        cwd: clone,
        env: {},
      });
      const attestation = join(folder, `${name}.intoto.json`);
      writeFileSync(attestation, JSON.stringify(made.envelope));
      return { artifact, attestation };
    }

    beforeAll(async () => {
      // Rita merges with a commit signed by her SSH key, which the protected branch allows for her.
      const sshFolder = realpathSync(mkdtempSync(join(tmpdir(), 'shipguard-gate-ssh-')));
      const ritaSsh = join(sshFolder, 'rita');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rita', '-f', ritaSsh]);
      origin = createTestRepository();
      origin.write({
        'keys/allowed_signers': `rita@example.com namespaces="git" ${readFileSync(`${ritaSsh}.pub`, 'utf8')}`,
        'shipguard.yaml': policyYaml,
        'keys/release.pub': pem(release.publicKey),
        'keys/dan.pub': pem(people.dan.publicKey),
        'keys/rita.pub': pem(people.rita.publicKey),
        'keys/erin.pub': pem(people.erin.publicKey),
        'README.md': '# service\n',
        'src/app.js': 'export const x = 1;\n',
      });
      origin.commit('Initial commit');
      origin.git('checkout', '--quiet', '-b', 'feature');
      origin.write({ 'src/app.js': 'export const x = 2;\n' });
      origin.commit('Raise x', { author: 'Dan Developer <dan@example.com>' });
      origin.git('checkout', '--quiet', 'main');
      execFileSync(
        'git',
        [...signingWith(ritaSsh), 'merge', '--quiet', '--no-ff', '-S'].concat([
          '-m',
          "Merge branch 'feature'\n\nReviewed-by: Rita Reviewer <rita@example.com>",
          'feature',
        ]),
        {
          cwd: origin.path,
          env: {
            ...gitEnvironment,
            GIT_COMMITTER_NAME: 'Rita Reviewer',
            GIT_COMMITTER_EMAIL: 'rita@example.com',
          },
        },
      );
      rmSync(sshFolder, { recursive: true, force: true });
      mergeCommit = origin.git('rev-parse', 'HEAD');
      folder = realpathSync(mkdtempSync(join(tmpdir(), 'shipguard-gate-')));
      clone = join(folder, 'clone');
      origin.git('clone', '--quiet', origin.path, clone);
      writeFileSync(join(folder, 'sbom.cdx.json'), sbomDocument);
      writeFileSync(
        join(folder, 'erin.key'),
        people.erin.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      );
      const { artifact, attestation } = await attestHead(release.privateKey, 'app');

      location = await backend.createLocation();
      // What --db takes: a SQLite file or a postgres:// URL.
      dbPath = location.kind === 'sqlite' ? location.path : location.url;
      const store = await openStore(location);
      try {
        const assessment = buildAssessment([sampleControl({ controlId: 'DEV-01', status: 'pass' })], {
          id: 'assessment-of-merge',
          subject: { path: clone, isGitRepository: true, commit: mergeCommit, branch: 'main' },
        });
        await store.saveAssessment(assessment, { repository: clone });
        await storeTestAdvisories(store, [
          npmAdvisory({
            ...leftPadAdvisory,
            modified: '2026-06-07T00:00:00Z',
            summary: 'left-pad pads wrongly',
          }),
        ]);
        await approveFreshChange(store, 'CHG-42');
      } finally {
        await store.close();
      }
      base = {
        repositoryRoot: clone,
        artifact,
        environment: 'production',
        attestation,
        change: 'CHG-42',
        sbom: join(folder, 'sbom.cdx.json'),
        vex: [await signedVex(release.privateKey, 'vex.intoto.json')],
        deployer: 'erin',
        deployerProof: { keyFile: join(folder, 'erin.key') },
      };
    });

    afterAll(async () => {
      origin?.remove();
      if (folder) rmSync(folder, { recursive: true, force: true });
      if (location) await backend.removeLocation?.(location);
    });

    const dependencies = (): GateDependencies => ({
      openStore: () => openCommandStore(clone, dbPath),
      append: ledgerAppend,
    });
    const outcomes = (run: Awaited<ReturnType<typeof runGate>>) =>
      Object.fromEntries(run.decision.rules.map((rule) => [rule.id, rule.outcome]));

    it('judges an environment the protected policy names production (productionEnvironments) by every rule', async () => {
      const { change: _change, ...withoutChange } = base;
      // Its time zone is the default (UTC): 16:30 on a Friday is in the weekend freeze.
      const fridayUtc = new Date('2026-06-12T16:30:00Z');
      const run = await runGate(
        { ...withoutChange, environment: 'customer-facing', now: fridayUtc },
        dependencies(),
      );
      expect(run.decision.rules.map((rule) => rule.id)).toEqual([...gateRuleIds]);
      expect(outcomes(run)).toMatchObject({ freeze: 'fail', change: 'fail' });
      expect(run.decision.result).toBe('deny');
      expect(run.exitCode).toBe(1);
    });

    it('denies on a Friday afternoon (freeze) and allows on a Tuesday; both ledgered with valid proofs', async () => {
      const denied = await runGate({ ...base, now: friday }, dependencies());
      expect(denied.decision.result).toBe('deny');
      expect(denied.exitCode).toBe(1);
      expect(denied.decision.rules.filter((rule) => rule.outcome === 'fail').map((rule) => rule.id)).toEqual([
        'freeze',
      ]);
      expect(denied.decision.policy).toBe(
        `shipguard.yaml at refs/remotes/origin/main (${origin.git('rev-parse', 'main')})`,
      );
      const table = renderGateTable(denied);
      expect(table).toMatch(/^DENY {2}production at 2026-06-12T14:30:00.000Z by erin/);
      expect(table).toMatch(/fail {5}freeze .*weekend freeze/);
      expect(JSON.parse(renderGateJson(denied))).toMatchObject({ result: 'deny', exitCode: 1 });

      const allowed = await runGate({ ...base, now: tuesday }, dependencies());
      expect(allowed.decision.rules.filter((rule) => rule.outcome !== 'pass')).toEqual([]);
      expect(allowed.decision.result).toBe('allow');
      expect(allowed.exitCode).toBe(0);
      expect(allowed.decision.rules.find((rule) => rule.id === 'sbom')?.reason).toContain('attested');

      const store = await openStore(location);
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
            dryRun: false,
          });
          expect(parsed.data.policy).toContain('refs/remotes/origin/main');
          expect(parsed.data.sourceCommit).toBe(mergeCommit);
          const proof = await proveInclusion(store, index, head.size);
          expect(Buffer.from(proof.leafHash)).toEqual(hashLeaf(Buffer.from(entry?.entry ?? '', 'utf8')));
          expect(() => verifyInclusion(proof)).not.toThrow();
        }
      } finally {
        await store.close();
      }
    });

    describe('a branch cannot bring its own policy', () => {
      let branchCommit: string;
      let branchRun: { artifact: string; attestation: string };
      let evilKeyRun: { artifact: string; attestation: string };

      beforeAll(async () => {
        inClone('checkout', '--quiet', '-b', 'unreviewed');
        const evilPolicy = `${policyYaml}      rules: [sbom, freeze]
      freezes: []
      trustedKeys: [keys/evil.pub]
  changes:
    standardTemplates:
      - id: anything
        description: Anything at all.
`.replace('      trustedKeys: [keys/release.pub]\n', '');
        writeFileSync(join(clone, 'shipguard.yaml'), evilPolicy);
        writeFileSync(join(clone, 'keys/evil.pub'), pem(mallory.publicKey));
        // A planted credential, allowlisted by the branch's own gitleaks configuration.
        mkdirSync(dirname(join(clone, 'planted', credential.path)), { recursive: true });
        writeFileSync(join(clone, 'planted', credential.path), credential.content);
        writeFileSync(
          join(clone, '.gitleaks.toml'),
          "[extend]\nuseDefault = true\n\n[allowlist]\npaths = ['''^planted/''']\n",
        );
        inClone('add', '--all');
        inClone('commit', '--quiet', '--no-gpg-sign', '-m', 'Relax the gate');
        branchCommit = inClone('rev-parse', 'HEAD');
        // Parsed as the branch means it, so the attack is real: the file is a valid policy.
        const parsed = parsePolicy(evilPolicy, 'shipguard.yaml').policy;
        expect(parsed.gate.environments['production']?.rules).toEqual(['sbom', 'freeze']);
        expect(parsed.gate.environments['production']?.trustedKeys).toEqual(['keys/evil.pub']);
        // Judged by its own settings, as `shipguard secrets` on the branch would, the secret is hidden.
        const ownScan = await scanWorkingTree({ root: clone, rules: await loadRuleSet(clone) });
        expect(ownScan.findings.filter((finding) => finding.path.startsWith('planted/'))).toEqual([]);
        // CI built the branch and signed it with the release key; Mallory signed another build herself.
        branchRun = await attestHead(release.privateKey, 'branch');
        evilKeyRun = await attestHead(mallory.privateKey, 'mallory');
      });

      afterAll(() => {
        inClone('checkout', '--quiet', 'main');
      });

      it('applies the protected rules, not `rules: [sbom, freeze]` with no freezes, inside the weekend freeze', async () => {
        const run = await runGate({ ...base, ...branchRun, now: friday }, dependencies());
        expect(run.decision.result).toBe('deny');
        // Every rule of the gate, in its order.
        expect(run.decision.rules.map((rule) => rule.id)).toEqual([...gateRuleIds]);
        expect(outcomes(run)).toMatchObject({
          freeze: 'fail',
          'source-reviewed': 'fail',
          change: 'fail',
          // The branch's .gitleaks.toml allowlists its secret; the protected branch's settings apply.
          secrets: 'fail',
        });
        expect(run.decision.rules.find((rule) => rule.id === 'secrets')?.reason).toContain(
          `planted/${credential.path}`,
        );
        expect(run.decision.rules.find((rule) => rule.id === 'source-reviewed')?.reason).toContain(
          `${branchCommit} is not reachable`,
        );
      });

      it('does not trust a key the branch names in trustedKeys', async () => {
        const run = await runGate({ ...base, ...evilKeyRun, now: tuesday }, dependencies());
        expect(run.decision.result).toBe('deny');
        expect(run.decision.rules.find((rule) => rule.id === 'provenance')).toMatchObject({
          outcome: 'fail',
          reason: expect.stringContaining('SIGNATURE_INVALID'),
        });
      });

      it('does not pre-approve a change from a standard template the branch adds', async () => {
        const store = await openStore(location);
        try {
          // Signed by a registered principal, so only the template decides.
          const branchSettings = parsePolicy(readFileSync(join(clone, 'shipguard.yaml'), 'utf8'), 'x').policy
            .gate.changes;
          const principals = parsePolicy(policyYaml, 'shipguard.yaml').policy.principals;
          const registry = await loadPrincipalRegistry(origin.path, principals, 'main');
          const now = new Date();
          const change = createChange(
            {
              id: 'CHG-STD',
              class: 'standard',
              template: 'anything',
              title: 'Anything',
              author: 'Dan Developer',
              commits: [mergeCommit],
              commitAuthors: [],
              environment: 'production',
              environments: ['production'],
            },
            branchSettings,
            now,
          );
          const signer: ChangeSigner = { kind: 'key', privateKey: people.dan.privateKey, registry };
          await recordSignedTransition(store, change, 'created', signer, now);
          await createCheckpoint(store, 'ledger.example', checkpointSigner);
        } finally {
          await store.close();
        }
        const run = await runGate({ ...base, change: 'CHG-STD', now: new Date() }, dependencies());
        expect(run.decision.result).toBe('deny');
        // The protected policy knows no template "anything": the signed creation is not counted.
        expect(run.decision.rules.find((rule) => rule.id === 'change')).toMatchObject({
          outcome: 'fail',
          reason: expect.stringContaining('standardTemplates: none configured'),
        });
      });

      it('uses an approval once: a second deployment with the same change is denied', async () => {
        const change = await freshChange('CHG-ONCE');
        const first = await runGate({ ...base, change, now: tuesday }, dependencies());
        expect(first.decision.result).toBe('allow');
        const again = await runGate({ ...base, change, now: tuesday }, dependencies());
        expect(again.decision.result).toBe('deny');
        expect(again.decision.rules.find((rule) => rule.id === 'change')).toMatchObject({
          outcome: 'fail',
          reason: expect.stringContaining(`already used by gate decision ${first.decisionId}`),
        });
      });

      it('does not use up an approval a deployment did not rely on (another environment)', async () => {
        const change = await freshChange('CHG-ELSEWHERE');
        // Staging checks provenance and secrets only; the change approves production, not staging.
        const staging = await runGate(
          { ...base, environment: 'staging', change, now: tuesday },
          dependencies(),
        );
        expect(staging.decision.result).toBe('allow');
        const production = await runGate({ ...base, change, now: tuesday }, dependencies());
        expect(outcomes(production)['change']).toBe('pass');
        expect(production.decision.result).toBe('allow');
      });

      it('does not count a change row written straight into the store', async () => {
        const store = await openStore(location);
        try {
          const forged = createChange(
            {
              id: 'CHG-ROW',
              class: 'normal',
              title: 'Forged',
              author: 'Mallory',
              commits: [mergeCommit],
              commitAuthors: [],
              environments: ['production'],
            },
            parsePolicy(policyYaml, 'shipguard.yaml').policy.gate.changes,
            new Date(),
          );
          const row = {
            ...forged,
            status: 'approved' as const,
            approvals: [{ by: 'Rita Reviewer', at: forged.createdAt, roles: [] }],
          };
          await sql`insert into changes (id, class, status, author, created_at, updated_at, review_due_at, document)
            values (${row.id}, ${row.class}, ${row.status}, ${row.author}, ${row.createdAt}, ${row.createdAt}, null, ${JSON.stringify(row)})`.execute(
            store.db,
          );
        } finally {
          await store.close();
        }
        const run = await runGate({ ...base, change: 'CHG-ROW', now: tuesday }, dependencies());
        expect(run.decision.result).toBe('deny');
        const rule = run.decision.rules.find((item) => item.id === 'change');
        expect(rule?.outcome).toBe('fail');
        expect(rule?.reason).toContain('no verified ledger entry creates it');
      });

      it('reads the policy of origin/HEAD even with the branch checked out', async () => {
        const change = await freshChange('CHG-HEAD');
        const run = await runGate({ ...base, change, now: tuesday }, dependencies());
        expect(run.decision.policy).toContain('refs/remotes/origin/main');
        expect(run.decision.rules.filter((rule) => rule.outcome !== 'pass')).toEqual([]);
        expect(run.decision.result).toBe('allow');
      });
    });

    describe('inputs bound to the provenance', () => {
      it('refuses an SBOM with zero components in place of the attested one', async () => {
        const empty = join(folder, 'empty.cdx.json');
        writeFileSync(empty, cycloneDxSbom([]));
        const run = await runGate({ ...base, sbom: empty, now: tuesday }, dependencies());
        expect(run.decision.result).toBe('deny');
        expect(outcomes(run)).toMatchObject({ sbom: 'fail', vulnerabilities: 'fail' });
        expect(run.decision.rules.find((rule) => rule.id === 'sbom')?.reason).toContain(
          'is not the SBOM the provenance attests',
        );
      });

      it('refuses to decide vulnerabilities without the attested SBOM', async () => {
        const { sbom: _sbom, ...withoutSbom } = base;
        const run = await runGate({ ...withoutSbom, now: tuesday }, dependencies());
        expect(outcomes(run)).toMatchObject({ sbom: 'fail', vulnerabilities: 'fail' });
        expect(run.decision.rules.find((rule) => rule.id === 'sbom')?.reason).toContain(
          'give the attested SBOM',
        );
      });

      it('counts a VEX statement only when signed by a trusted key', async () => {
        const plain = join(folder, 'plain.vex.json');
        writeFileSync(plain, vexDocument);
        const unsigned = await runGate({ ...base, vex: [plain], now: tuesday }, dependencies());
        expect(unsigned.decision.result).toBe('deny');
        expect(unsigned.decision.rules.find((rule) => rule.id === 'vulnerabilities')?.reason).toContain(
          'GATE_VEX_UNTRUSTED',
        );
        const byMallory = await runGate(
          { ...base, vex: [await signedVex(mallory.privateKey, 'mallory.vex.json')], now: tuesday },
          dependencies(),
        );
        expect(outcomes(byMallory)).toMatchObject({ vulnerabilities: 'fail' });
        // Without any VEX the vulnerability is past its SLA (high, 30 days, published in January).
        const none = await runGate({ ...base, vex: [], now: tuesday }, dependencies());
        expect(none.decision.rules.find((rule) => rule.id === 'vulnerabilities')).toMatchObject({
          outcome: 'fail',
          reason: expect.stringContaining('GHSA-left-pad-0001'),
        });
      });

      it('treats an ecosystem with no advisory record as unknown, which denies', async () => {
        const sbomWithPypi = cycloneDxSbom([
          library('npm', 'left-pad', '1.3.0'),
          library('pypi', 'requests', '2.31.0'),
        ]);
        const path = join(folder, 'mixed-sbom.cdx.json');
        writeFileSync(path, sbomWithPypi);
        const artifact = join(folder, 'mixed.tgz');
        writeFileSync(artifact, 'mixed\n');
        const made = await attest({
          artifacts: [artifact],
          sbom: path,
          signer: createEd25519Signer(release.privateKey),
          allowDirty: false,
          cwd: clone,
          env: {},
        });
        const attestation = join(folder, 'mixed.intoto.json');
        writeFileSync(attestation, JSON.stringify(made.envelope));
        const run = await runGate(
          { ...base, artifact, attestation, sbom: path, now: tuesday },
          dependencies(),
        );
        expect(run.decision.result).toBe('deny');
        expect(run.decision.rules.find((rule) => rule.id === 'vulnerabilities')).toMatchObject({
          outcome: 'fail',
          reason: expect.stringMatching(/PyPI \(no advisory record\).*GATE_ADVISORIES_UNKNOWN/),
        });
      });
    });

    describe('what-if runs and a missing protected branch', () => {
      it('ledgers a dry run as a what-if, never a decision, and never exits 0', async () => {
        const change = await freshChange('CHG-WHATIF');
        const run = await runGate({ ...base, change, now: friday, whatIf: { at: tuesday } }, dependencies());
        expect(run.decision.result).toBe('allow');
        expect(run.dryRun).toBe(true);
        expect(run.exitCode).toBe(4);
        expect(renderGateTable(run)).toMatch(/^DRY RUN \(what-if, not a decision\): would allow/);
        expect(JSON.parse(renderGateJson(run))).toMatchObject({ dryRun: true, exitCode: 4 });
        const store = await openStore(location);
        try {
          const [entry] = await readEntries(store, run.ledgerIndex ?? -1, 1);
          expect(JSON.parse(entry?.entry ?? '{}')).toMatchObject({
            type: 'gate.what-if',
            data: { dryRun: true },
          });
          const rows = await store.db
            .withTables<{ gate_decisions: { id: string } }>()
            .selectFrom('gate_decisions')
            .select('id')
            .where('id', '=', run.decisionId)
            .execute();
          expect(rows).toEqual([]);
        } finally {
          await store.close();
        }
        // A what-if does not use the approval up: the real decision still has it.
        expect((await runGate({ ...base, change, now: tuesday }, dependencies())).decision.result).toBe(
          'allow',
        );
      });

      it('applies a what-if policy file only in a dry run', async () => {
        const draft = join(folder, 'draft.yaml');
        writeFileSync(
          draft,
          'gate:\n  environments:\n    production:\n      rules: [freeze]\n      freezes: []\n',
        );
        const run = await runGate({ ...base, now: friday, whatIf: { policyFile: draft } }, dependencies());
        expect(run.decision.policy).toBe(`what-if policy file ${draft}`);
        expect(run.decision.rules.map((rule) => rule.id)).toEqual(['freeze']);
        expect(run.exitCode).toBe(4);
      });

      it('denies, saying how to provide it, when there is no protected branch (no remote)', async () => {
        const run = await runGate({ ...base, repositoryRoot: origin.path, now: tuesday }, dependencies());
        expect(run.decision.result).toBe('deny');
        expect(run.exitCode).toBe(1);
        expect(run.decision.rules).toEqual([
          expect.objectContaining({
            id: 'policy',
            outcome: 'fail',
            reason: expect.stringContaining('--protected-ref refs/remotes/origin/<branch>'),
          }),
        ]);
        const named = await runGate(
          { ...base, repositoryRoot: origin.path, protectedRef: 'refs/heads/main', now: tuesday },
          dependencies(),
        );
        expect(named.decision.policy).toContain('shipguard.yaml at refs/heads/main');
      });
    });

    describe('failures deny', () => {
      it('denies with exit 3 when the store is unavailable', async () => {
        const blocker = join(folder, 'not-a-folder');
        writeFileSync(blocker, 'a file where the store folder should be');
        const run = await runGate(
          { ...base, now: tuesday },
          { openStore: () => openCommandStore(clone, join(blocker, 'shipguard.db')), append: ledgerAppend },
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
        const run = await runGate({ ...base, attestation: corrupted, now: tuesday }, dependencies());
        expect(run.decision.result).toBe('deny');
        expect(run.exitCode).toBe(3);
        expect(run.decision.rules.find((rule) => rule.id === 'provenance')?.outcome).toBe('error');
      });

      it('denies with exit 3 when the ledger cannot be written, even when every rule passes', async () => {
        const change = await freshChange('CHG-LEDGER');
        const run = await runGate(
          { ...base, change, now: tuesday },
          {
            openStore: () => openCommandStore(clone, dbPath),
            append: () => Promise.reject(new Error('disk I/O error')),
          },
        );
        expect(run.decision.rules.every((rule) => rule.outcome === 'pass')).toBe(true);
        expect(run.decision.result).toBe('deny');
        expect(run.exitCode).toBe(3);
        expect(run.ledgerError).toContain('disk I/O error');
      });
    });
  });
}

await describeOnEveryStore('deploy gate', describeGate);
