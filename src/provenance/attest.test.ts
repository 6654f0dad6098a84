import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TestRepository } from '../testing/git-repository.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { rejectedCode } from '../testing/thrown-code.js';
import { attest } from './attest.js';
import { readGitHubActions, readGitLabCi, redactRepositoryUrl } from './build-context.js';
import { parseEnvelope } from './dsse.js';
import { isVerificationRefusal, ProvenanceError, TrustPolicyError, VerificationError } from './errors.js';
import { createSigner, createVerifier, generateKeyObjects } from './keys/index.js';
import { parseStatement } from './statement.js';
import { normalizeSourceUri, verifyAttestation } from './verify.js';

const temporaryRepository = temporaryRepositories();

function newRepository(): TestRepository {
  const repository = temporaryRepository();
  repository.write({
    'package.json': '{"name":"app"}',
    'package-lock.json': '{"lockfileVersion":3}',
    'src/a.ts': 'x',
  });
  repository.commit('first');
  repository.git('remote', 'add', 'origin', `https://ci-user:${'tok'}${'en123'}@git.example.com/org/app.git`);
  repository.write({
    'dist/app.js': 'console.log(1)',
    'dist/app.css': 'a{}',
    'bom.json': '{"bomFormat":"CycloneDX"}',
  });
  return repository;
}

const githubEnv = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'org/app',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_WORKFLOW_REF: 'org/app/.github/workflows/release.yml@refs/heads/main',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '2',
};

const codeOf = (run: () => unknown) => rejectedCode(ProvenanceError, run);

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('build context', () => {
  it('reads GitHub Actions variables', () => {
    const context = readGitHubActions(githubEnv);
    expect(context?.external).toEqual({
      repository: 'https://github.com/org/app',
      ref: 'refs/heads/main',
      commit: 'a'.repeat(40),
      workflow: { path: '.github/workflows/release.yml', ref: 'refs/heads/main' },
    });
    expect(context?.invocationId).toBe('https://github.com/org/app/actions/runs/42/attempts/2');
    expect(context?.builderId).toBe(
      'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main',
    );
    expect(readGitHubActions({})).toBeUndefined();
  });

  it('reads GitLab CI variables', () => {
    const context = readGitLabCi({
      GITLAB_CI: 'true',
      CI_PROJECT_URL: 'https://gitlab.example.com/org/app',
      CI_COMMIT_REF_NAME: 'main',
      CI_COMMIT_SHA: 'b'.repeat(40),
      CI_PIPELINE_ID: '7',
      CI_JOB_ID: '99',
      CI_CONFIG_PATH: 'ci/pipeline.yml',
    });
    expect(context?.external).toEqual({
      repository: 'https://gitlab.example.com/org/app',
      ref: 'refs/heads/main',
      commit: 'b'.repeat(40),
      workflow: { path: 'ci/pipeline.yml' },
    });
    expect(context?.invocationId).toBe('https://gitlab.example.com/org/app/-/jobs/99');
  });

  it('removes credentials from repository URLs', () => {
    expect(redactRepositoryUrl('https://user:secret@host.example/org/app.git')).toBe(
      'https://host.example/org/app.git',
    );
    expect(redactRepositoryUrl('git@host.example:org/app.git')).toBe('ssh://host.example/org/app.git');
    expect(normalizeSourceUri('git+https://Host.Example/org/app.git@refs/heads/main')).toBe(
      'host.example/org/app',
    );
  });
});

describe('attest and verify', () => {
  const { privateKey, publicKey } = generateKeyObjects('ecdsa-p256');
  const signer = createSigner(privateKey);
  const verifier = createVerifier(publicKey);

  it('attests a local build: subjects, source, lockfiles, SBOM, and a verifiable envelope', async () => {
    const repository = newRepository();
    const result = await attest({
      artifacts: ['dist/app.js', 'dist/app.css'],
      sbom: 'bom.json',
      signer,
      allowDirty: false,
      cwd: repository.path,
      env: {},
    });
    const statement = parseStatement(
      Buffer.from(parseEnvelope(JSON.stringify(result.envelope)).payload, 'base64'),
    );
    expect(statement.subject.map((subject) => subject.name)).toEqual(['dist/app.js', 'dist/app.css']);
    expect(result.envelope.payloadType).toBe('application/vnd.in-toto+json');
    const definition = result.statement.predicate.buildDefinition;
    expect(definition.externalParameters.repository).toBe('https://git.example.com/org/app.git');
    expect(JSON.stringify(result.statement)).not.toContain('token123');
    expect(definition.externalParameters.ref).toBe('refs/heads/main');
    expect(definition.externalParameters.commit).toBe(repository.git('rev-parse', 'HEAD'));
    expect(definition.internalParameters).toEqual({ ci: 'local', dirty: false, allowDirty: false });
    expect(definition.resolvedDependencies.map((dependency) => dependency.uri ?? dependency.name)).toEqual([
      'git+https://git.example.com/org/app.git@refs/heads/main',
      'package-lock.json',
      'bom.json',
    ]);

    const artifact = Buffer.from('console.log(1)');
    const verified = await verifyAttestation({
      artifact,
      envelope: result.envelope,
      verifiers: [verifier],
      expected: {
        sourceUri: 'git.example.com/org/app',
        branch: 'main',
        builderId: 'urn:shipguard:builder:local',
      },
    });
    expect(verified.subject).toBe('dist/app.js');
    const base = { artifact, envelope: result.envelope, verifiers: [verifier] };
    expect(
      await codeOf(() => verifyAttestation({ ...base, artifact: Buffer.from('other'), expected: {} })),
    ).toBe('SUBJECT_DIGEST_MISMATCH');
    expect(
      await codeOf(() => verifyAttestation({ ...base, expected: { sourceUri: 'git.example.com/org/fork' } })),
    ).toBe('SOURCE_MISMATCH');
    expect(await codeOf(() => verifyAttestation({ ...base, expected: { branch: 'release' } }))).toBe(
      'BRANCH_MISMATCH',
    );
    expect(
      await codeOf(() =>
        verifyAttestation({ ...base, expected: { builderId: 'https://ci.example/builder' } }),
      ),
    ).toBe('BUILDER_MISMATCH');
    const stranger = createVerifier(generateKeyObjects('ed25519').publicKey);
    expect(await codeOf(() => verifyAttestation({ ...base, verifiers: [stranger], expected: {} }))).toBe(
      'SIGNATURE_INVALID',
    );
    // The same verifier given only the digest (the deploy gate's `--artifact sha256:…`) agrees.
    const digest = createHash('sha256').update(artifact).digest('hex');
    const byDigest = await verifyAttestation({
      ...base,
      artifact: { sha256: `sha256:${digest.toUpperCase()}` },
      expected: { builderId: 'urn:shipguard:builder:local' },
    });
    expect(byDigest).toMatchObject({ subject: 'dist/app.js', artifact: { sha256: digest } });
    expect(byDigest.dependencies?.map((dependency) => dependency.name ?? dependency.uri)).toContain(
      'bom.json',
    );
    expect(
      await codeOf(() => verifyAttestation({ ...base, artifact: { sha256: 'ab'.repeat(32) }, expected: {} })),
    ).toBe('SUBJECT_DIGEST_MISMATCH');
    expect(
      await codeOf(() => verifyAttestation({ ...base, artifact: { sha256: 'not-hex' }, expected: {} })),
    ).toBe('SUBJECT_DIGEST_MISMATCH');
    // A signature that does not verify and a signer the policy does not trust are told apart by
    // class, both refusals (exit 1), unlike input that cannot be judged.
    const wrongKey = await errorOf(() => verifyAttestation({ ...base, verifiers: [stranger], expected: {} }));
    expect(wrongKey).toBeInstanceOf(VerificationError);
    expect(isVerificationRefusal(wrongKey)).toBe(true);
    expect((wrongKey as VerificationError).exitCode).toBe(1);
    const wrongDigest = await errorOf(() =>
      verifyAttestation({ ...base, artifact: Buffer.from('other'), expected: {} }),
    );
    expect(wrongDigest).toBeInstanceOf(VerificationError);
    for (const expected of [
      { sourceUri: 'git.example.com/org/fork' },
      { branch: 'release' },
      { builderId: 'https://ci.example/builder' },
    ]) {
      const untrusted = await errorOf(() => verifyAttestation({ ...base, expected }));
      expect(untrusted).toBeInstanceOf(TrustPolicyError);
      expect(untrusted).not.toBeInstanceOf(VerificationError);
      expect((untrusted as TrustPolicyError).kind).toBe('rejected');
    }
  });

  it('refuses a dirty working tree unless --allow-dirty, and records it', async () => {
    const repository = newRepository();
    repository.write({ 'src/a.ts': 'changed' });
    const options = { artifacts: ['dist/app.js'], signer, cwd: repository.path, env: {} };
    expect(await codeOf(() => attest({ ...options, allowDirty: false }))).toBe('SOURCE_DIRTY');
    const result = await attest({ ...options, allowDirty: true });
    expect(result.statement.predicate.buildDefinition.internalParameters).toEqual({
      ci: 'local',
      dirty: true,
      allowDirty: true,
    });
  });

  it('takes the source from GitHub Actions when present, and refuses duplicate subjects', async () => {
    const repository = newRepository();
    const result = await attest({
      artifacts: ['dist/app.js'],
      signer,
      cwd: repository.path,
      env: githubEnv,
      allowDirty: false,
    });
    expect(result.statement.predicate.buildDefinition.externalParameters.commit).toBe('a'.repeat(40));
    expect(result.statement.predicate.runDetails.metadata.invocationId).toContain('/actions/runs/42/');
    expect(
      await codeOf(() =>
        attest({
          artifacts: ['dist/app.js', './dist/app.js'],
          signer,
          cwd: repository.path,
          env: {},
          allowDirty: false,
        }),
      ),
    ).toBe('SUBJECT_DUPLICATE');
    expect(
      await codeOf(() =>
        attest({ artifacts: ['missing.bin'], signer, cwd: repository.path, env: {}, allowDirty: false }),
      ),
    ).toBe('FILE_UNREADABLE');
  });

  it('rejects statements with duplicate subjects and envelopes of another payload type', async () => {
    const { signEnvelope } = await import('./dsse.js');
    const digest = { sha256: 'c'.repeat(64) };
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        { name: 'a', digest },
        { name: 'a', digest },
      ],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    };
    const payload = Buffer.from(JSON.stringify(statement));
    const envelope = await signEnvelope(payload, 'application/vnd.in-toto+json', [signer]);
    expect(
      await codeOf(() =>
        verifyAttestation({ artifact: Buffer.from('x'), envelope, verifiers: [verifier], expected: {} }),
      ),
    ).toBe('SUBJECT_DUPLICATE');
    const other = await signEnvelope(payload, 'application/json', [signer]);
    expect(
      await codeOf(() =>
        verifyAttestation({
          artifact: Buffer.from('x'),
          envelope: other,
          verifiers: [verifier],
          expected: {},
        }),
      ),
    ).toBe('PAYLOAD_TYPE_MISMATCH');
  });
});
