import { describe, expect, it } from 'vitest';
import { publicRegistryHosts } from '../../ecosystems/index.js';
import { defaultPolicy, parsePolicy } from '../../policy/index.js';
import { evaluateCollectorOnFiles } from '../../testing/evaluate-collector.js';
import { dependenciesCollector } from './index.js';

// Registry host names are built from the shipguard table, never written here.
const [npmHost = ''] = publicRegistryHosts('npm');
const [pypiHost = ''] = publicRegistryHosts('pypi');
const mirror = ['packages', 'example', 'internal'].join('.');
const lookalike = `${npmHost}.example`;

const manifest = JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { lodash: '^4.17.21' } });
function packageLock(resolvedHost: string): string {
  return `${JSON.stringify(
    {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: { lodash: '^4.17.21' } },
        'node_modules/lodash': {
          version: '4.17.21',
          resolved: `https://${resolvedHost}/lodash/-/lodash-4.17.21.tgz`,
          integrity: 'sha512-abc',
        },
      },
    },
    null,
    2,
  )}\n`;
}

async function run(files: Record<string, string>, policyText?: string) {
  const policy = policyText === undefined ? defaultPolicy() : policyFrom(policyText);
  return (await evaluateCollectorOnFiles(dependenciesCollector, files, { policy })).results;
}

function policyFrom(text: string) {
  return parsePolicy(text, 'shipguard.yaml').policy;
}

describe('dependencies/trusted-registries', () => {
  it('passes a lockfile resolved from the public registry, with the file as evidence', async () => {
    const results = await run({ 'package.json': manifest, 'package-lock.json': packageLock(npmHost) });
    const result = results['dependencies/trusted-registries'];
    expect(result?.status).toBe('pass');
    expect(result?.evidence[0]).toMatchObject({ path: 'package-lock.json', line: 13 });
  });

  it('fails an unknown host in .npmrc, a lockfile, requirements, a pom and a Dockerfile, naming file and line', async () => {
    const results = await run({
      'package.json': manifest,
      'package-lock.json': packageLock(lookalike),
      '.npmrc': `# company\n@corp:registry=https://${mirror}/npm/\n`,
      'requirements.txt': `--index-url https://${mirror}/simple\nrequests==2.32.3\n`,
      'pom.xml': `<project>\n<distributionManagement>\n<repository><url>https://publish.example.org/</url></repository>\n</distributionManagement>\n<repositories>\n<repository>\n<url>https://maven.example.org/repo</url>\n</repository>\n</repositories>\n<dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId><version>1.0</version></dependency></dependencies>\n</project>\n`,
      Dockerfile: 'FROM images.example.org/base/node:24 AS build\nFROM build\nFROM node:24-slim\n',
    });
    const result = results['dependencies/trusted-registries'];
    expect(result?.status).toBe('fail');
    expect(
      result?.findings.map((finding) => `${finding.location?.path}:${finding.location?.line}`).sort(),
    ).toEqual(['.npmrc:2', 'Dockerfile:1', 'package-lock.json:13', 'pom.xml:7', 'requirements.txt:1']);
    // A look-alike of the public host is not the public host.
    expect(result?.findings.some((finding) => finding.message.includes(lookalike))).toBe(true);
  });

  it('passes hosts the policy trusts, exactly or by domain', async () => {
    const results = await run(
      {
        'package.json': manifest,
        'package-lock.json': packageLock(npmHost),
        '.npmrc': `registry=https://${mirror}/npm/\n`,
        'requirements.txt': `-i https://${pypiHost}/simple\nrequests==2.32.3\n`,
      },
      'supplyChain:\n  trustedRegistries: ["*.example.internal"]\n',
    );
    expect(results['dependencies/trusted-registries']?.status).toBe('pass');
  });

  it('fails the public registry when the policy does not trust it', async () => {
    const results = await run(
      { 'package.json': manifest, 'package-lock.json': packageLock(npmHost) },
      'supplyChain:\n  publicRegistries: false\n',
    );
    expect(results['dependencies/trusted-registries']?.status).toBe('fail');
  });

  it('is unknown when a source is named through a variable, and fails without a lockfile', async () => {
    const variable = await run({
      'package.json': manifest,
      'package-lock.json': packageLock(npmHost),
      '.npmrc': `registry=${'$'}{NPM_REGISTRY}\n`,
    });
    expect(variable['dependencies/trusted-registries']?.status).toBe('unknown');
    expect(variable['dependencies/trusted-registries']?.summary).toContain('.npmrc:1');
    const unlocked = await run({ 'package.json': manifest });
    expect(unlocked['dependencies/trusted-registries']?.status).toBe('fail');
  });

  it('is unknown for a lockfile without resolved URLs until the repository names its registry', async () => {
    const bare = `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/lodash': { version: '4.17.21', integrity: 'sha512-abc' } } }, null, 2)}\n`;
    const unnamed = await run({ 'package.json': manifest, 'package-lock.json': bare });
    expect(unnamed['dependencies/trusted-registries']?.status).toBe('unknown');
    expect(unnamed['dependencies/trusted-registries']?.howToProvide).toContain('.npmrc');
    const named = await run({
      'package.json': manifest,
      'package-lock.json': bare,
      '.npmrc': `registry=https://${npmHost}/\n`,
    });
    expect(named['dependencies/trusted-registries']?.status).toBe('pass');
  });

  it('says so when a minified lockfile is not read whole, rather than passing it', async () => {
    const minified = packageLock(npmHost).replace(/\n\s*/g, '') + ' '.repeat(5000);
    const results = await run({ 'package.json': manifest, 'package-lock.json': `${minified}\n` });
    expect(results['dependencies/trusted-registries']?.status).toBe('unknown');
    expect(results['dependencies/trusted-registries']?.summary).toContain('not read whole');
  });

  it('is not applicable with no dependency at all', async () => {
    const results = await run({ 'README.md': '# nothing to install\n' });
    expect(results['dependencies/trusted-registries']?.status).toBe('not-applicable');
  });
});

describe('dependencies/unmodified', () => {
  const locked = { 'package.json': manifest, 'package-lock.json': packageLock(npmHost) };

  it('passes a locked project with no patch, with the manifest as evidence', async () => {
    const result = (await run(locked))['dependencies/unmodified'];
    expect(result?.status).toBe('pass');
    expect(result?.evidence[0]).toMatchObject({ path: 'package.json' });
  });

  it('fails patch-package files, pnpm patchedDependencies and the yarn patch: protocol', async () => {
    const results = await run({
      ...locked,
      'package.json': JSON.stringify({
        name: 'app',
        scripts: { postinstall: 'patch-package' },
        dependencies: { lodash: '^4.17.21' },
        devDependencies: { 'patch-package': '^8.0.0' },
      }),
      'patches/@scope+left-pad+1.3.0.patch': 'diff --git a/index.js b/index.js\n',
      'web/package.json': `{\n  "name": "web",\n  "pnpm": {\n    "patchedDependencies": {\n      "express@4.21.0": "patches/express@4.21.0.patch"\n    }\n  }\n}\n`,
      'web/patches/express@4.21.0.patch': 'diff\n',
      'web/pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'yarn-app/package.json': `{\n  "name": "y",\n  "resolutions": {\n    "lodash": "patch:lodash@npm%3A4.17.21#./.yarn/patches/lodash.patch"\n  }\n}\n`,
    });
    const result = results['dependencies/unmodified'];
    expect(result?.status).toBe('fail');
    expect(result?.findings.map((finding) => finding.message).sort()).toEqual([
      '@scope/left-pad@1.3.0 is patched by a patch-package file (patches/@scope+left-pad+1.3.0.patch:1).',
      'express@4.21.0 is patched through pnpm patchedDependencies (web/package.json:5).',
      "lodash@npm:4.17.21 is patched through Yarn's patch: protocol (yarn-app/package.json:4).",
    ]);
    expect(result?.findings[0]?.severity).toBe('medium');
  });

  it('does not count patches unrelated to a package manager, nor Go modules vendored by go mod vendor', async () => {
    const results = await run({
      ...locked,
      'debian/patches/fix-build.patch': 'diff\n',
      // A patches/ folder beside a package.json that does not use patch-package.
      'patches/0001-docs.patch': 'diff\n',
      'go.mod': 'module example.org/x\n\ngo 1.22\n',
      'vendor/modules.txt': '# example.org/y v1.0.0\n',
      'vendor/example.org/y/go.mod': 'module example.org/y\n',
    });
    expect(results['dependencies/unmodified']?.status).toBe('pass');
  });

  it('is unknown for a vendored copy, saying how to provide evidence', async () => {
    const result = (await run({ ...locked, 'third_party/leftpad/package.json': '{"name":"left-pad"}\n' }))[
      'dependencies/unmodified'
    ];
    expect(result?.status).toBe('unknown');
    expect(result?.summary).toContain('third_party/leftpad');
    expect(result?.howToProvide).toContain('vendored');
  });

  it('is unknown without a lockfile and not applicable without dependencies', async () => {
    expect((await run({ 'package.json': manifest }))['dependencies/unmodified']?.status).toBe('unknown');
    expect((await run({ 'README.md': 'x\n' }))['dependencies/unmodified']?.status).toBe('not-applicable');
  });
});
