/**
 * The hostile-input suite: repositories and operator arguments built to leak, hang, crash or
 * pass silently, generated here at test time (nothing large is committed). Each case runs the
 * command a user would run and asserts a clear located error or a bounded, reported result:
 * never a whole secret, never a hang, never a silent exit 0. See docs/hostile-inputs.md.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSchema,
  probePostgres,
  warnPostgresSkipped,
} from '../store/__fixtures__/postgres-server.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { assessJson, type CliRun, runCli } from '../testing/run-cli.js';

/** One credential of every kind the redaction boundary covers (none is real). */
const planted = {
  github: `ghp_${'Zq7RkT2mWx9bLp4N'}${'c8Vd3Hs6Jf1Gy5Ua0Ke2'}`,
  slack: `xoxb-${'123456789012'}-${'1234567890123'}-${'AbCdEfGhIjKlMnOpQrStUvWx'}`,
  awsSecret: `wJalrXUtnFEMI/K7MDENG/${'bPxRfiCYHOSTILEKEY'}`,
  awsKeyId: `AKIA${'QYLPMN5HFIQWERTY'}`,
  gitlab: `glpat-${'x7Fk2LmQ9rTz4WvB8nYc'}`,
  urlPassword: `s3cr3t${'PassW0rd'}x`,
} as const;

const everySecret = Object.values(planted);

function leaks(text: string): string[] {
  return everySecret.filter((secret) => text.includes(secret));
}

function combined(run: CliRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

/** Each file type the collectors read, with credentials where a parser quotes the line. */
function plantedFiles(): Record<string, string> {
  const { github, slack, awsSecret, awsKeyId, gitlab, urlPassword } = planted;
  return {
    'requirements.txt': `requests==2.31.0\npkg @ git+https://${github}@github.com/org/pkg.git\n`,
    'requirements-dev.txt': `private @ https://deploy:${urlPassword}@pypi.internal/simple/private.tar.gz\n`,
    'yarn.lock': `# yarn lockfile v1\n\n"foo@^1.0.0":\n  version "1.0.0"\n  resolved "https://${slack}@registry/foo.tgz"\ngarbage aws_secret_access_key=${awsSecret}\n`,
    'gradle/gradle.lockfile': `com.example:lib:1.0=compileClasspath\n${slack} ${awsSecret}\n`,
    'web/package-lock.json': JSON.stringify({
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { left: `git+https://${github}@github.com/o/left.git` } },
        'node_modules/left': { version: `git+https://${github}@github.com/o/left.git` },
      },
    }),
    'php/composer.lock': `{"packages": [{"name": "a/b", "version": "${awsKeyId}"}], ${awsSecret}`,
    'rust/Cargo.lock': `version = 3\n[[package]]\nname = "x"\nversion = "${gitlab}"\n${awsSecret} = =\n`,
    'ruby/Gemfile.lock': `GEM\n  remote: https://${github}@rubygems.pkg/\n  specs:\n    rake (13.0.0)\n${awsSecret}\n`,
    'go/go.mod': `module example.com/x\n\ngo 1.22\n\nrequire github.com/a/b ${gitlab}\n`,
    'go/go.sum': `github.com/a/b v1.0.0 h1:${awsSecret}\n${slack}\n`,
    'dotnet/packages.lock.json': `{"version": 1, "dependencies": {"net8.0": {"A": {"resolved": "${awsKeyId}"`,
    'java/pom.xml': `<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version><dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>${awsSecret}</version></dependency></dependencies><properties><token>${github}</token></properties>`,
    'pnpm/pnpm-lock.yaml': `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: ${slack}\n`,
    'py/poetry.lock': `[[package]]\nname = "x"\nversion = "${awsSecret}"\n[[package\n`,
    'py/Pipfile.lock': `{"default": {"x": {"version": "==${github}"}}`,
    '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    name: deploy ${slack}\n    runs-on: ubuntu-latest\n    env:\n      AWS_SECRET_ACCESS_KEY: ${awsSecret}\n    steps:\n      - uses: actions/checkout@v4\n      - run: curl -H "Authorization: token ${github}" https://api.github.com\n`,
    '.github/workflows/broken.yml': `on: [push\njobs: ${github}\n`,
    '.gitlab-ci.yml': `deploy ${gitlab}:\n  script: [echo ${awsSecret}]\n  environment: production\n`,
    CODEOWNERS: `* @org/team ${github}\n/secret/ ${awsSecret}\n`,
    '.nvmrc': `${github}\n`,
    Dockerfile: `FROM node:${awsSecret}\nENV TOKEN=${slack}\n`,
    'SECURITY.md': `Report to https://user:${urlPassword}@security.example\n`,
    '.env': `AWS_ACCESS_KEY_ID=${awsKeyId}\nAWS_SECRET_ACCESS_KEY=${awsSecret}\n`,
    [`${planted.github}/requirements.txt`]: 'flask>=2\n',
  };
}

describe('hostile repositories: a secret never leaves the scan', () => {
  let repository: TestRepository;
  let workspace: string;
  const outputs: string[] = [];

  beforeAll(() => {
    repository = createTestRepository();
    repository.write(plantedFiles());
    repository.commit('hostile');
    workspace = mkdtempSync(join(tmpdir(), 'shipguard-hostile-'));
  });
  afterAll(() => {
    repository.remove();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('assess prints no whole credential in any format, and stores none in SQLite or the ledger', async () => {
    const database = join(workspace, 'store.db');
    for (const format of ['table', 'json', 'sarif', 'md', 'html']) {
      const run = await runCli('assess', repository.path, '--format', format, '--db', database);
      expect(run.code, run.stderr).toBeLessThan(2);
      outputs.push(combined(run));
      expect(leaks(combined(run)), format).toEqual([]);
    }
    const out = join(workspace, 'assess.html');
    const toFile = await runCli('assess', repository.path, '--format', 'html', '--no-save', '--out', out);
    outputs.push(combined(toFile), readFileSync(out, 'utf8'));
    expect(leaks(outputs.join('\n'))).toEqual([]);
    // The assessment really quoted the planted lines, redacted: the boundary was exercised.
    expect(outputs.join('\n')).toMatch(/ghp_… \(40 chars, sha256:[0-9a-f]{12}\)/);
    const ledger = await runCli('ledger', 'show', '--db', database, '--format', 'json');
    expect(ledger.code).toBe(0);
    expect(leaks(combined(ledger))).toEqual([]);
    const bytes = readFileSync(database).toString('latin1');
    expect(leaks(bytes)).toEqual([]);
    expect(bytes).toContain('sha256:');
  }, 120_000);

  it('sbom, vulns, pipelines and secrets print no whole credential on stdout or stderr', async () => {
    const runs = [
      await runCli('sbom', repository.path),
      await runCli('sbom', repository.path, '--format', 'spdx'),
      await runCli('vulns', repository.path, '--db', join(workspace, 'vulns.db')),
      await runCli('pipelines', repository.path),
      await runCli('pipelines', repository.path, '--format', 'json'),
      await runCli('pipelines', repository.path, '--format', 'sarif'),
      await runCli('secrets', repository.path),
      await runCli('secrets', repository.path, '--format', 'json'),
      await runCli('secrets', repository.path, '--format', 'sarif'),
      await runCli('secrets', repository.path, '--history'),
    ];
    for (const run of runs) expect(leaks(combined(run))).toEqual([]);
    // The lockfile errors were reported (located), not swallowed.
    expect(runs[0]?.stderr).toMatch(/yarn\.lock:\d+: .*LOCKFILE_MALFORMED/);
    expect(runs[0]?.code).toBe(1);
  }, 60_000);

  it('a ledger event carrying a credential is stored and shown redacted', async () => {
    const database = join(workspace, 'events.db');
    const event = join(workspace, 'event.json');
    writeFileSync(event, JSON.stringify({ type: 'note', data: { text: `token ${planted.github}` } }));
    const appended = await runCli('ledger', 'append', event, '--db', database);
    expect(appended.code).toBe(0);
    const shown = await runCli('ledger', 'show', '--db', database);
    expect(leaks(combined(shown))).toEqual([]);
    expect(leaks(readFileSync(database).toString('latin1'))).toEqual([]);
  });

  it('PostgreSQL holds no whole credential (pg_dump of the test schema)', async () => {
    const postgres = await probePostgres();
    warnPostgresSkipped('hostile redaction in PostgreSQL', postgres);
    if (!postgres.reachable) return;
    const schema = await createTestSchema();
    try {
      const run = await runCli('assess', repository.path, '--format', 'json', '--db', schema.url);
      expect(run.code, run.stderr).toBeLessThan(2);
      const url = new URL(schema.url);
      const name = /search_path=(\S+)/.exec(url.searchParams.get('options') ?? '')?.[1] ?? '';
      url.search = '';
      const dump = execFileSync('pg_dump', ['--data-only', '--schema', name, url.toString()], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(dump).toContain('assessments');
      expect(leaks(dump)).toEqual([]);
    } finally {
      await schema.drop();
    }
  });
});

describe('hostile repositories: reads stay inside the repository', () => {
  let outside: string;
  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'shipguard-outside-'));
    writeFileSync(
      join(outside, 'credentials'),
      `aws_secret_access_key = ${planted.awsSecret}\nrequests==1\n`,
    );
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('a symbolic link out of the repository, or into .git, is reported and never followed', async () => {
    using repository = createTestRepository();
    repository.write({ 'a/requirements.txt': 'flask==3.0.0\n' });
    symlinkSync(join(outside, 'credentials'), join(repository.path, 'requirements-dev.txt'));
    symlinkSync('/etc/passwd', join(repository.path, 'package-lock.json'));
    symlinkSync('.git/config', join(repository.path, 'requirements.txt'));
    repository.commit('links');
    const sbom = await runCli('sbom', repository.path);
    expect(leaks(combined(sbom))).toEqual([]);
    expect(combined(sbom)).not.toContain('root:x:0:0');
    expect(combined(sbom)).not.toContain('[core]');
    expect(sbom.stderr).toContain('FILE_OUTSIDE_REPOSITORY');
    expect(sbom.code).toBe(1);
  });

  it('a FIFO posing as a lockfile or a workflow is refused, not waited on', async () => {
    using repository = createTestRepository();
    repository.write({ 'README.md': 'x\n' });
    mkdirSync(join(repository.path, '.github', 'workflows'), { recursive: true });
    execFileSync('mkfifo', [join(repository.path, 'fifo')]);
    symlinkSync('fifo', join(repository.path, 'yarn.lock'));
    symlinkSync('../../fifo', join(repository.path, '.github', 'workflows', 'ci.yml'));
    repository.git('add', 'yarn.lock', '.github/workflows/ci.yml', 'README.md');
    repository.git('commit', '--quiet', '-m', 'fifo');
    const sbom = await runCli('sbom', repository.path);
    expect(sbom.stderr).toContain('FILE_NOT_REGULAR');
    expect(sbom.code).toBe(1);
    const pipelines = await runCli('pipelines', repository.path, '--fail-on', 'low');
    expect(pipelines.stdout).toContain('FILE_NOT_REGULAR');
    expect(pipelines.code).toBe(1);
  });

  it('operator paths are bounded by reading: /dev/zero as key, attestation, artefact or event ends in an error', async () => {
    const runs = [
      await runCli('verify', '--artifact', '/dev/zero', '--attestation', '/dev/zero', '--key', '/dev/zero'),
      await runCli('ledger', 'append', '/dev/zero', '--db', join(outside, 'zero.db')),
      await runCli('vulns', '/dev/zero'),
    ];
    for (const run of runs.slice(0, 2)) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/INPUT_FILE_TOO_LARGE|larger than/);
    }
    // An SBOM must be a file: /dev/zero is refused before it is read.
    expect(runs[2]?.code).toBe(2);
  });

  // Hashing 2 GiB twice takes half a minute on a loaded machine: run with SHIPGUARD_HOSTILE_LARGE=1.
  it.skipIf(process.env['SHIPGUARD_HOSTILE_LARGE'] !== '1')(
    'an artefact is streamed into its digest (a sparse file over 2 GiB verifies)',
    async () => {
      using repository = createTestRepository();
      repository.write({ 'README.md': 'x\n' });
      repository.commit('one');
      const artifact = join(outside, 'big.bin');
      writeFileSync(artifact, '');
      truncateSync(artifact, 2 * 1024 * 1024 * 1024 + 4096);
      const created = await runCli(
        'keys',
        'generate',
        '--type',
        'ed25519',
        '--out-dir',
        outside,
        '--name',
        'release',
      );
      expect(created.code, created.stderr).toBe(0);
      const envelope = join(outside, 'big.intoto.json');
      const cwd = process.cwd();
      process.chdir(repository.path);
      let attested: CliRun;
      try {
        attested = await runCli(
          'attest',
          '--artifact',
          artifact,
          '--key',
          join(outside, 'release.key'),
          '--out',
          envelope,
        );
      } finally {
        process.chdir(cwd);
      }
      expect(attested.code, attested.stderr).toBe(0);
      const verified = await runCli(
        'verify',
        '--artifact',
        artifact,
        '--attestation',
        envelope,
        '--key',
        join(outside, 'release.pub'),
      );
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
    },
    120_000,
  );
});

describe('hostile repositories: parsers have budgets', () => {
  it('a YAML alias bomb ends in a located error, reported and counted', async () => {
    using repository = createTestRepository();
    const aliases = Array.from({ length: 140_000 }, () => '  - *a').join('\n');
    repository.write({
      '.github/workflows/ci.yml': `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: echo\nx: &a hello\ny:\n${aliases}\n`,
    });
    repository.commit('bomb');
    const run = await runCli('pipelines', repository.path, '--fail-on', 'low');
    expect(run.stdout).toMatch(/PIPELINE_ALIAS_LIMIT +\.github\/workflows\/ci\.yml:\d+:\d+/);
    expect(run.code).toBe(1);
  }, 60_000);

  it('a self-referencing POM property does not exhaust memory', async () => {
    using repository = createTestRepository();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Maven property reference, not a template
    const references = '${p}'.repeat(40);
    repository.write({
      'pom.xml': `<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties><p>${references}</p></properties><dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>\${p}</version></dependency></dependencies></project>`,
    });
    repository.commit('pom');
    const run = await runCli('sbom', repository.path);
    expect(run.code).toBeLessThan(2);
    expect(run.stderr).toMatch(/pom\.xml/);
  });

  it("a repository's gitleaks rule that backtracks catastrophically is refused, naming the rule", async () => {
    using repository = createTestRepository();
    repository.write({
      '.gitleaks.toml': "[[rules]]\nid = 'slow'\nregex = '''(a|aa)+$'''\nkeywords = ['aaaa']\n",
      'x.txt': `${'a'.repeat(48)}!`,
    });
    repository.commit('rule');
    const run = await runCli('secrets', repository.path);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\.gitleaks\.toml: rule slow: .*refused/);
  });

  it('minified JSON lockfiles and a 125,000-module go.sum are read whole', async () => {
    using repository = createTestRepository();
    const packages: Record<string, unknown> = { '': { dependencies: {} } };
    for (let index = 0; index < 20_000; index += 1) {
      packages[`node_modules/package-number-${index}`] = {
        version: `1.0.${index}`,
        resolved: `https://registry.example/package-number-${index}/-/x-1.0.${index}.tgz`,
        integrity: `sha512-${'A'.repeat(86)}==`,
      };
    }
    const sums: string[] = [];
    for (let index = 0; index < 125_000; index += 1) {
      sums.push(`github.com/org/module${index} v1.0.${index % 90} h1:${'B'.repeat(43)}=`);
    }
    repository.write({
      'package-lock.json': JSON.stringify({ name: 'x', lockfileVersion: 3, packages }),
      'gosum/go.sum': `${sums.join('\n')}\n`,
    });
    repository.commit('big');
    const run = await runCli('sbom', repository.path);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const components = JSON.parse(run.stdout).components as unknown[];
    expect(components.length).toBe(20_000 + 125_000);
  }, 120_000);
});

describe('hostile repositories: nothing passes silently', () => {
  it('a dangerous workflow padded past the size limit is an error that fails --fail-on', async () => {
    using repository = createTestRepository();
    const dangerous =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      'on: pull_request_target\njobs:\n  t:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test\n';
    repository.write({ '.github/workflows/ci.yml': `${dangerous}${'# pad\n'.repeat(190_000)}` });
    repository.commit('padded');
    const run = await runCli('pipelines', repository.path, '--fail-on', 'low');
    expect(run.stdout).toContain('PIPELINE_TOO_LARGE');
    expect(run.code).toBe(1);
    const assessed = await assessJson(repository.path, '--fail-on', 'critical');
    expect(JSON.parse(assessed.stdout).problems.map((problem: { code: string }) => problem.code)).toContain(
      'FILE_TOO_LARGE',
    );
    expect(assessed.code).toBe(1);
  }, 60_000);

  it('a binary workflow is reported, not "no pipelines"', async () => {
    using repository = createTestRepository();
    repository.write({ '.github/workflows/ci.yml': Buffer.from([0x6f, 0x6e, 0, 1, 2, 0x3a]) });
    repository.commit('binary');
    const run = await runCli('pipelines', repository.path, '--fail-on', 'low');
    expect(run.stdout).toContain('FILE_BINARY');
    expect(run.code).toBe(1);
  });

  it('damaged lockfiles (go.sum, Gemfile.lock, truncated pnpm lock) are located errors', async () => {
    using repository = createTestRepository();
    repository.write({
      'a/go.sum': 'qm9wZSBub3QgYSBnby5zdW0=\n',
      'b/Gemfile.lock': 'GEM\n  remote: https://rubygems.org/\n  specs:\n%% garbage\n',
      'c/pnpm-lock.yaml':
        "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      left-pad:\n        specifier: ^1.3.0\n        version: 1.3",
    });
    repository.commit('damaged');
    const run = await runCli('sbom', repository.path);
    expect(run.stderr).toMatch(/a\/go\.sum:1: .*LOCKFILE_MALFORMED/);
    expect(run.stderr).toMatch(/b\/Gemfile\.lock:4: .*LOCKFILE_MALFORMED/);
    expect(run.stderr).toMatch(/c\/pnpm-lock\.yaml:1: .*LOCKFILE_MALFORMED/);
    expect(run.code).toBe(1);
  });

  it('vulns: a malformed SBOM exits 2; nested too deep exits 2; components without a purl are errors', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-sbom-'));
    try {
      const malformed = join(folder, 'malformed.json');
      writeFileSync(malformed, '{"bomFormat": "CycloneDX", "components": [');
      let nested: Record<string, unknown> = { purl: 'pkg:npm/deep@1.0.0', name: 'deep' };
      for (let level = 0; level < 60; level += 1) nested = { name: `level${level}`, components: [nested] };
      const deep = join(folder, 'deep.json');
      writeFileSync(
        deep,
        JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [nested] }),
      );
      const unnamed = join(folder, 'unnamed.json');
      writeFileSync(
        unnamed,
        JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ name: 'x' }] }),
      );
      const database = join(folder, 'vulns.db');
      expect((await runCli('vulns', malformed, '--db', database)).code).toBe(2);
      const deepRun = await runCli('vulns', deep, '--db', database);
      expect(deepRun.code).toBe(2);
      expect(deepRun.stderr).toContain('nested more than 50 levels');
      const unnamedRun = await runCli('vulns', unnamed, '--db', database);
      expect(unnamedRun.stderr).toContain('have no valid package URL');
      expect(unnamedRun.code).toBe(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('--out to a folder that cannot be written names the path and leaves no file', async () => {
    using repository = createTestRepository();
    repository.write({ 'requirements.txt': 'flask==3.0.0\n' });
    repository.commit('one');
    const target = join(repository.path, 'missing-folder', 'sbom.json');
    const run = await runCli('sbom', repository.path, '--out', target);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(target);
    expect(run.stderr).toContain('OUTPUT_WRITE_FAILED');
  });
});

describe('hostile repositories: terminal output is escaped', () => {
  it('escape sequences, OSC-8 links, BEL, newlines and bidi overrides never reach the terminal raw', async () => {
    using repository = createTestRepository();
    const forged =
      'x\u001b[2K\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\b\u202e\nCRITICAL forged';
    repository.write({
      '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    name: "${forged.replaceAll('\u001b', '\\e').replaceAll('\u0007', '\\a').replaceAll('\b', '\\b').replaceAll('\n', '\\n')}"\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: npm publish\n`,
      'yarn.lock': `# yarn lockfile v1\n\n${forged}\n`,
      [`dir\u001b[31m/.env`]: `AWS_SECRET_ACCESS_KEY=${planted.awsSecret}\n`,
    });
    repository.commit('escapes');
    const runs = [
      await runCli('pipelines', repository.path),
      await runCli('sbom', repository.path),
      await runCli('secrets', repository.path),
      await runCli('assess', repository.path, '--no-save'),
    ];
    for (const run of runs) {
      const text = combined(run);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
      expect(text).not.toMatch(/[\u0007\u0008\u202e]|\u001b\]8/);
      expect(text).not.toMatch(/\nCRITICAL forged/);
      expect(leaks(text)).toEqual([]);
    }
    expect(runs[0]?.stdout).toContain('\\x1b');
  }, 60_000);
});
