/**
 * One production gate decision on a repository with GATE_BENCH_COMMITS commits (default 10,000,
 * made with `git fast-import`) and an attested SBOM of GATE_BENCH_PACKAGES packages (default
 * 2,000): protected policy and key read with git, provenance verified, reachability and review,
 * secret scan of the released tree, SBOM bound to the provenance, advisory coverage and lookup,
 * stored assessment, the change's approval verified from the ledger (signed statements under a
 * signed checkpoint) and used up, the deployer proved by a registered key, calendar, ledger.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parseOsvRecord, replaceSource } from '../../src/advisories/index.js';
import { openCommandStore } from '../../src/cli/index.js';
import { ledgerAppend, runGate } from '../../src/gate/index.js';
import { loadPrincipalRegistry } from '../../src/identity/index.js';
import { createCheckpoint, formatVerifierKey } from '../../src/ledger/index.js';
import { loadPolicy } from '../../src/policy/index.js';
import { attest, createEd25519Signer } from '../../src/provenance/index.js';
import { openStore } from '../../src/store/index.js';
import { signingWith } from '../../src/testing/git-repository.js';
import { buildAssessment, sampleControl } from '../../src/testing/sample-assessment.js';
import { recordApprovedChange } from '../../src/testing/signed-change.js';

const commits = Number(process.env['GATE_BENCH_COMMITS'] ?? 10_000);
const packageCount = Number(process.env['GATE_BENCH_PACKAGES'] ?? 2_000);
const runs = Number(process.env['GATE_BENCH_RUNS'] ?? 7);

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ada Tester',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Tester',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

function packageLock(count: number): string {
  const packages: Record<string, unknown> = {
    '': { name: 'bench-app', version: '1.0.0', dependencies: {} as Record<string, string> },
  };
  for (let index = 0; index < count; index++) {
    const name = index % 9 === 0 ? `@scope${index % 40}/pkg-${index}` : `pkg-${index}`;
    const version = `${index % 7}.${index % 13}.${index % 5}`;
    packages[`node_modules/${name}`] = { version, license: 'MIT' };
    if (index < 50)
      (packages[''] as { dependencies: Record<string, string> }).dependencies[name] = `^${version}`;
  }
  return JSON.stringify(
    { name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
    null,
    2,
  );
}

/** The lockfile's packages as a CycloneDX SBOM. */
function sbomOf(count: number): string {
  const components = [];
  for (let index = 0; index < count; index++) {
    const name = index % 9 === 0 ? `@scope${index % 40}/pkg-${index}` : `pkg-${index}`;
    const version = `${index % 7}.${index % 13}.${index % 5}`;
    const purlName = name.startsWith('@') ? `%40${name.slice(1)}` : name;
    components.push({ type: 'library', name, version, purl: `pkg:npm/${purlName}@${version}` });
  }
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components });
}

/** One npm advisory (for a package not in the SBOM), so the store covers the npm ecosystem. */
const npmAdvisory = parseOsvRecord(
  'GHSA-bench-0001.json',
  JSON.stringify({
    id: 'GHSA-bench-0001',
    modified: '2026-06-07T00:00:00Z', // advisory data is as old as its newest record,
    published: '2026-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: 'not-in-the-sbom' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }],
      },
    ],
  }),
);

function fastImportStream(count: number): string {
  const parts: string[] = [];
  for (let index = 1; index <= count; index++) {
    const message = `change ${index}\n`;
    const content = `value ${index}\n`;
    parts.push(
      'commit refs/heads/main',
      `committer Ada Tester <ada@example.com> ${1_700_000_000 + index * 60} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message.trimEnd(),
      `M 644 inline src/file-${index % 400}.txt`,
      `data ${Buffer.byteLength(content)}`,
      content.trimEnd(),
      '',
    );
  }
  return `${parts.join('\n')}\n`;
}

function summary(timings: number[]): string {
  const sorted = [...timings].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `${commits} commits, ${packageCount} packages, ${timings.length} runs: median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted[sorted.length - 1]?.toFixed(0)} ms (first ${timings[0]?.toFixed(0)} ms)`;
}

it(`decides a production deploy on ${commits} commits and ${packageCount} packages`, async () => {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'shipguard-gate-bench-')));
  const repo = join(folder, 'repo');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, env, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
  try {
    execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo], { env });
    execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, env, input: fastImportStream(commits) });
    git('checkout', '--quiet', '-f', 'main');
    writeFileSync(join(repo, 'package-lock.json'), packageLock(packageCount));
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0' }));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const people = {
      dan: generateKeyPairSync('ed25519'),
      rita: generateKeyPairSync('ed25519'),
      erin: generateKeyPairSync('ed25519'),
    };
    const ledgerKey = generateKeyPairSync('ed25519');
    const verifierKey = formatVerifierKey({ name: 'ledger.bench', publicKey: ledgerKey.publicKey });
    const principal = (name: string, id: keyof typeof people) =>
      `    - name: ${name}\n      emails: [${id}@example.com]\n      publicKey: keys/${id}.pub\n`;
    writeFileSync(
      join(repo, 'shipguard.yaml'),
      `principals:\n  keys:\n${principal('Dan Developer', 'dan')}${principal('Rita Reviewer', 'rita')}${principal('Erin Operator', 'erin')}` +
        `ledger:\n  checkpointKeys: ["${verifierKey}"]\n` +
        'review:\n  allowedSignersFile: keys/allowed_signers\n' +
        'gate:\n  environments:\n    production:\n      timeZone: Europe/London\n      trustedKeys: [keys/release.pub]\n',
    );
    execFileSync('mkdir', ['-p', join(repo, 'keys')]);
    const pem = (key: typeof publicKey) => key.export({ format: 'pem', type: 'spki' }).toString();
    writeFileSync(join(repo, 'keys/release.pub'), pem(publicKey));
    for (const [id, pair] of Object.entries(people))
      writeFileSync(join(repo, `keys/${id}.pub`), pem(pair.publicKey));
    const ritaSsh = join(folder, 'rita-ssh');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rita', '-f', ritaSsh]);
    const ritaLine = `rita@example.com namespaces="git" ${readFileSync(`${ritaSsh}.pub`, 'utf8')}`;
    writeFileSync(join(repo, 'keys/allowed_signers'), ritaLine);
    const erinKey = join(folder, 'erin.key');
    writeFileSync(erinKey, people.erin.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    git('checkout', '--quiet', '-b', 'feature');
    git('add', '--all');
    git(
      'commit',
      '--quiet',
      '--no-gpg-sign',
      '-m',
      'Add lockfile',
      '--author=Dan Developer <dan@example.com>',
    );
    git('checkout', '--quiet', 'main');
    // Rita merges with a commit signed by her SSH key, which the protected branch allows.
    const merge = [...signingWith(ritaSsh), 'merge', '--quiet', '--no-ff', '-S'];
    execFileSync(
      'git',
      [...merge, '-m', 'Merge feature\n\nReviewed-by: Rita <rita@example.com>', 'feature'],
      {
        cwd: repo,
        env: { ...env, GIT_COMMITTER_NAME: 'Rita Reviewer', GIT_COMMITTER_EMAIL: 'rita@example.com' },
      },
    );
    const head = git('rev-parse', 'HEAD');
    expect(Number(git('rev-list', '--count', 'HEAD'))).toBe(commits + 2);

    const artifact = join(folder, 'app.tgz');
    writeFileSync(artifact, 'artefact\n');
    // The SBOM attested in the provenance: the lockfile's packages, which the gate checks.
    const sbom = join(folder, 'sbom.cdx.json');
    writeFileSync(sbom, sbomOf(packageCount));
    const made = await attest({
      sbom,
      artifacts: [artifact],
      signer: createEd25519Signer(privateKey),
      allowDirty: false,
      cwd: repo,
      env: {},
    });
    const attestation = join(folder, 'app.intoto.json');
    writeFileSync(attestation, JSON.stringify(made.envelope));

    const db = join(folder, 'shipguard.db');
    const policy = await loadPolicy(repo);
    const store = await openStore({ kind: 'sqlite', path: db });
    await store.saveAssessment(
      buildAssessment([sampleControl({ controlId: 'DEV-01', status: 'pass' })], {
        id: 'bench',
        subject: { path: repo, isGitRepository: true, commit: head, branch: 'main' },
      }),
      { repository: repo },
    );
    await replaceSource(
      store,
      {
        source: 'import:bench',
        origin: 'bench',
        importedAt: '2026-06-08T00:00:00Z',
        checkedAt: '2026-06-08T00:00:00Z',
        errors: 0,
      },
      [npmAdvisory],
    );
    // One approved change per decision: an allow uses its approval up. Statements are signed as
    // their entries are appended (the ledger checks the two times agree), so "now" is real time.
    const now = new Date();
    const registry = await loadPrincipalRegistry(repo, policy.policy.principals, 'main');
    for (let run = 0; run < runs; run++) {
      await recordApprovedChange(
        store,
        {
          id: `CHG-${run + 1}`,
          title: 'bench',
          author: 'Dan Developer',
          commits: [head],
          environments: ['production'],
        },
        { author: people.dan.privateKey, approver: people.rita.privateKey, registry },
        policy.policy.gate.changes,
        now,
      );
    }
    await createCheckpoint(store, 'ledger.bench', { name: 'ledger.bench', privateKey: ledgerKey.privateKey });
    await store.close();

    const timings: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const result = await runGate(
        {
          repositoryRoot: repo,
          artifact,
          environment: 'production',
          attestation,
          sbom,
          change: `CHG-${run + 1}`,
          vex: [],
          now: new Date('2026-06-09T10:00:00+01:00'),
          deployer: 'erin',
          deployerProof: { keyFile: erinKey },
          protectedRef: 'refs/heads/main',
        },
        { openStore: () => openCommandStore(repo, db), append: ledgerAppend },
      );
      timings.push(performance.now() - started);
      expect(
        result.decision.rules.filter((rule) => rule.outcome !== 'pass' && rule.id !== 'responders'),
      ).toEqual([]);
      expect(result.exitCode).toBe(0);
    }
    process.stdout.write(`gate decision (in process, runGate): ${summary(timings)}\n`);

    // What a pipeline runs: the built CLI in its own process (start-up included), at the real
    // time, so a weekend or holiday freeze may deny it; every rule is evaluated either way.
    const cli = join(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)));
    const cliTimings: number[] = [];
    for (let run = 0; run < runs; run++) {
      const args = ['gate', '--artifact', artifact, '--env', 'production', '--attestation', attestation];
      args.push('--sbom', sbom, '--change', 'CHG-CLI', '--deployer-key', erinKey, '--db', db);
      args.push('--protected-ref', 'refs/heads/main', '-C', repo, '--format', 'json');
      const started = performance.now();
      const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
      cliTimings.push(performance.now() - started);
      const decision = JSON.parse(result.stdout) as { rules: Array<{ id: string; outcome: string }> };
      expect(decision.rules.filter((rule) => rule.outcome === 'error')).toEqual([]);
    }
    process.stdout.write(`gate decision (shipguard gate, one process each): ${summary(cliTimings)}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
