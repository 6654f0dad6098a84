// History-scan benchmark: a synthetic repository of a few thousand commits (built here with
// `git fast-import`, fake credentials generated at run time), scanned by shipguard, compared with
// `git log -p -U0 --all` (the floor of any patch-based scanner) and gitleaks when it is on PATH.
// Run: node bench/secrets/history.bench.mjs [commits] [keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Run shipguard from its TypeScript sources: map "./x.js" imports to "./x.ts" (Node strips types).
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js'))
        return next(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});
const src = new URL('../../src/secrets/', import.meta.url);
const { fakeCredentials } = await import(new URL('fake-credentials.ts', src).href);
const { scanHistory } = await import(new URL('history.ts', src).href);
const { defaultRuleSet } = await import(new URL('rules/default-rules.ts', src).href);
const { RepositorySnapshot } = await import(new URL('../core/repository.ts', src).href);
const { secretsCollector } = await import(new URL('../collectors/secrets/index.ts', src).href);

const commits = Number(process.argv[2] ?? 3000);
const root = mkdtempSync(join(tmpdir(), 'shipguard-bench-'));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function buildRepository() {
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', root], { env });
  const words = 'const value = compute(input, options); // handles the request and returns a result\n';
  const files = Array.from({ length: 400 }, (_, index) => `src/module-${index % 40}/file-${index}.ts`);
  const contents = files.map((_, index) => words.repeat(20 + (index % 30)));
  const credentials = fakeCredentials(99);
  let stream = '';
  let planted = 0;
  for (let commit = 1; commit <= commits; commit++) {
    const changes = [];
    for (let change = 0; change < 3; change++) {
      const index = (commit * 7 + change * 131) % files.length;
      contents[index] += `export const line${commit}_${change} = ${commit * 31 + change};\n`;
      changes.push(index);
    }
    let extra = '';
    if (commit % Math.floor(commits / credentials.length) === 0 && planted < credentials.length) {
      const credential = credentials[planted++];
      extra = `M 100644 inline ${credential.path}\ndata ${Buffer.byteLength(credential.content)}\n${credential.content}\n`;
    }
    const message = `commit ${commit}`;
    stream += `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1700000000 + commit} +0000\ndata ${message.length}\n${message}\n`;
    for (const index of changes) {
      stream += `M 100644 inline ${files[index]}\ndata ${Buffer.byteLength(contents[index])}\n${contents[index]}\n`;
    }
    stream += extra;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: root, input: stream, env, maxBuffer: 1 << 30 });
  execFileSync('git', ['checkout', '--quiet', 'main'], { cwd: root, env });
  execFileSync('git', ['gc', '--quiet'], { cwd: root, env });
  return planted;
}

function time(label, run) {
  const started = performance.now();
  const result = run();
  const elapsed = performance.now() - started;
  return { label, elapsed, result };
}

async function timeAsync(label, run) {
  const started = performance.now();
  const result = await run();
  return { label, elapsed: performance.now() - started, result };
}

const planted = buildRepository();
const rows = [];
const floor = time('git log -p -U0 --all', () =>
  spawnSync('git', ['log', '-p', '-U0', '--all'], {
    cwd: root,
    env,
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
);
rows.push(floor);
const shipguard = await timeAsync('shipguard secrets --history', () =>
  scanHistory({ root, rules: defaultRuleSet() }),
);
rows.push(shipguard);
const oneThread = await timeAsync('shipguard secrets --history (1 thread)', () =>
  scanHistory({ root, rules: defaultRuleSet(), threads: 1 }),
);
rows.push(oneThread);
const collector = await timeAsync('secrets collector (as in assess)', async () =>
  secretsCollector.collect(await RepositorySnapshot.open(root)),
);
rows.push(collector);
const gitleaksPath = spawnSync('sh', ['-c', 'command -v gitleaks'], { encoding: 'utf8' }).stdout.trim();
if (gitleaksPath) {
  rows.push(
    time('gitleaks git', () =>
      spawnSync('gitleaks', ['git', '--no-banner', '--exit-code', '0', root], { stdio: 'ignore' }),
    ),
  );
}
const report = shipguard.result;
console.log(
  `repository: ${commits} commits, ${report.stats.scanned} unique text blobs, ${planted} planted fake credentials`,
);
console.log(
  `shipguard found ${report.findings.length} findings; planted credentials found: ${planted} expected`,
);
console.log(`history check in the collector: ${collector.result.history.status}`);
console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (this process)`);
console.log('| tool | seconds | ratio to git log -p |');
console.log('|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.label} | ${(row.elapsed / 1000).toFixed(2)} | ${(row.elapsed / floor.elapsed).toFixed(2)} |`,
  );
}
if (!gitleaksPath) console.log('gitleaks: not on PATH, not measured');
if (process.argv[3] !== 'keep') rmSync(root, { recursive: true, force: true });
else console.log(`repository kept at ${root}`);
