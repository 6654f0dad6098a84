/**
 * Runs docs/release-flow.md as written: every `shipguard` command of its shell blocks, in order,
 * in a clone whose origin holds the policy on main, on a SQLite file and on PostgreSQL. If the
 * document and the program drift apart, this fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoreLocation } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { runCli } from '../testing/run-cli.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';

const document = readFileSync(fileURLToPath(new URL('../../docs/release-flow.md', import.meta.url)), 'utf8');

/** The commands of the document's ```sh blocks, continuation lines joined, comments dropped. */
function documentedCommands(): string[] {
  const commands: string[] = [];
  for (const block of document.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const text = (block[1] ?? '').replace(/\\\n\s*/g, '');
    for (const line of text.split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command !== '' && !command.startsWith('#')) commands.push(command);
    }
  }
  return commands;
}

/** Splits a command line into words, honouring double quotes (no other shell syntax is used). */
function words(command: string, substitute: (word: string) => string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => substitute(match[1] ?? match[2] ?? ''));
}

function describeReleaseFlow(name: string, backend: StoreBackend): void {
  describe(`the documented release flow on ${name}`, () => {
    let location: StoreLocation;
    let origin: TestRepository | undefined;
    let home = '';
    let clone = '';
    const savedEnvironment = { ...process.env };
    const cwd = process.cwd();
    beforeAll(async () => {
      location = await backend.createLocation();
    });
    afterEach(async () => {
      process.chdir(cwd);
      process.env = { ...savedEnvironment };
      origin?.remove();
      rmSync(home, { recursive: true, force: true });
      rmSync(clone, { recursive: true, force: true });
      await backend.removeLocation?.(location);
      location = await backend.createLocation();
    });

    it('runs as written, from the policy on main to ledger verify', async () => {
      const commands = documentedCommands();
      expect(commands.filter((command) => command.startsWith('shipguard ')).length).toBeGreaterThanOrEqual(
        14,
      );
      home = mkdtempSync(join(tmpdir(), 'shipguard-home-'));
      clone = mkdtempSync(join(tmpdir(), 'shipguard-clone-'));
      origin = createTestRepository();
      origin.write({ 'package.json': '{"name":"app","version":"1.4.0"}\n', '.gitignore': 'dist/\n' });
      origin.commit('app');
      execFileSync('git', ['clone', '--quiet', origin.path, clone]);
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: clone,
          encoding: 'utf8',
          env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
        }).trim();
      git('config', 'user.name', 'Ada Tester');
      git('config', 'user.email', 'ada@example.com');
      process.env['SHIPGUARD_DB'] = location.kind === 'sqlite' ? location.path : location.url;
      process.chdir(clone);
      let verifierKey = '';
      const substitute = (word: string) =>
        word.replace(/^~/, home).replace('$(git rev-parse HEAD)', git('rev-parse', 'HEAD'));
      const results: Array<{ command: string; code: number; stdout: string; stderr: string }> = [];
      for (const command of commands) {
        if (command.startsWith('export SHIPGUARD_DB=')) {
          // The store is this suite's (set above). Step 0 ended with the policy merged on main
          // through a review and the clone fetching it (`git fetch origin && git remote set-head
          // origin --auto`): done here. Then the build produces its artefact.
          origin.write(policyFiles(home, verifierKey));
          origin.commit('policy and principals (reviewed)');
          git('fetch', '--quiet', 'origin');
          git('merge', '--quiet', '--ff-only', 'origin/main');
          git('remote', 'set-head', 'origin', '--auto');
          mkdirSync(join(clone, 'dist'), { recursive: true });
          writeFileSync(join(clone, 'dist', 'app.tgz'), 'the built artefact');
          continue;
        }
        if (!command.startsWith('shipguard '))
          throw new Error(`the document runs something the test does not: ${command}`);
        const args = words(command, substitute).slice(1);
        const run = await runCli(...args);
        results.push({ command, ...run });
        if (args[0] === 'ledger' && args[1] === 'verifier-key') verifierKey = run.stdout.trim();
      }
      const codeOf = (prefix: string) => results.find((result) => result.command.startsWith(prefix));
      for (const result of results) {
        if (result.command.startsWith('shipguard assess')) continue; // exit 1 names failing controls
        expect(result.code, `${result.command}\n${result.stdout.slice(0, 2000)}\n${result.stderr}`).toBe(0);
      }
      expect(codeOf('shipguard change verify')?.stdout).toContain('APPROVED');
      expect(codeOf('shipguard ledger verify')?.stdout).toContain('verified');
      // assess runs every collector: slow on a busy machine, so this test has its own budget.
    }, 180_000);
  });
}

/** The policy the document shows, with this run's keys, and the test's production rules. */
function policyFiles(home: string, verifierKey: string): Record<string, string> {
  const policy = /```yaml\n# shipguard.yaml\n([\s\S]*?)```/.exec(document)?.[1] ?? '';
  const files: Record<string, string> = {
    // The calendar of a test run is not the point here: production checks what the flow produces.
    'shipguard.yaml': policy
      .replace(/"example\.com\/ledger\+…"/, JSON.stringify(verifierKey))
      .replace(
        '      trustedKeys: [keys/release.pub]',
        '      trustedKeys: [keys/release.pub]\n      rules: [provenance, secrets, sbom, change, separation-of-duties]',
      ),
  };
  for (const name of ['alice', 'bob', 'release']) {
    files[`keys/${name}.pub`] = readFileSync(join(home, '.shipguard', `${name}.pub`), 'utf8');
  }
  return files;
}

await describeOnEveryStore('the documented release flow', describeReleaseFlow);
