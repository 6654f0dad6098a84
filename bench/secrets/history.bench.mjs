// History-scan benchmark: times, side by side in one run on the same machine, each as a whole
// process with its peak RSS: `git log -p -U0 --all` (the floor of any patch-based scanner: it only
// produces the patches), `shipguard secrets --history` (default threads, and worker threads),
// and gitleaks when it is on PATH or given with --gitleaks. Runs are interleaved so that load from
// other jobs falls on every tool alike; the median of the runs is reported.
//
//   node bench/secrets/history.bench.mjs --repo /path/to/clone [--gitleaks PATH] [--runs 3]
//   node bench/secrets/history.bench.mjs [--commits 3000] [--keep]   (synthetic repository)
//
// Without --repo, a synthetic repository is built with `git fast-import` with fake credentials of
// every covered provider planted along the way (generated at run time), and recall is checked:
// how many planted secrets each tool found. With --repo, the findings of the tools are compared.
// Needs a built dist/ (`npm run build`) or SHIPGUARD_DIST pointing at one. Peak RSS is GNU time's
// %M (the largest single process: node for shipguard, not its git children) when /usr/bin/time
// exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    repo: { type: 'string' },
    gitleaks: { type: 'string' },
    runs: { type: 'string', default: '3' },
    commits: { type: 'string', default: '3000' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(options.runs);
const dist = process.env.SHIPGUARD_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const cli = join(dist, 'cli', 'main.js');
if (!existsSync(cli)) throw new Error(`no built CLI at ${cli}: run npm run build or set SHIPGUARD_DIST`);
const scratch = mkdtempSync(join(tmpdir(), 'shipguard-bench-secrets-'));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// Removed however the run ends (a tool failing included), unless asked to keep it.
process.on('exit', () => {
  if (!options.keep || options.repo) rmSync(scratch, { recursive: true, force: true });
});

/** Builds the synthetic repository; returns its path and the planted secrets. */
async function buildSyntheticRepository(commits) {
  // Load the fake-credential generator from the TypeScript sources (Node strips the types).
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
  const { fakeCredentials } = await import(
    new URL('../../src/testing/fake-credentials.ts', import.meta.url).href
  );
  const root = join(scratch, 'repository');
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', root], { env });
  const words = 'const value = compute(input, options); // handles the request and returns a result\n';
  const files = Array.from({ length: 400 }, (_, index) => `src/module-${index % 40}/file-${index}.ts`);
  const contents = files.map((_, index) => words.repeat(20 + (index % 30)));
  const credentials = fakeCredentials(99);
  const planted = [];
  let stream = '';
  for (let commit = 1; commit <= commits; commit++) {
    const changes = [];
    for (let change = 0; change < 3; change++) {
      const index = (commit * 7 + change * 131) % files.length;
      contents[index] += `export const line${commit}_${change} = ${commit * 31 + change};\n`;
      changes.push(index);
    }
    let extra = '';
    if (commit % Math.floor(commits / credentials.length) === 0 && planted.length < credentials.length) {
      const credential = credentials[planted.length];
      planted.push(credential);
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
  return { root, planted };
}

/** Runs a command as its own process; wall seconds and peak RSS (MB) of its largest process. */
function measure(command, args, { stdout = 'ignore', okStatuses = [0] } = {}) {
  const timed = gnuTime ? [gnuTime, ['-f', '%e %M', command, ...args]] : [command, args];
  const started = performance.now();
  const result = spawnSync(timed[0], timed[1], {
    env,
    maxBuffer: 1 << 30,
    stdio: ['ignore', stdout, 'pipe'],
    encoding: 'buffer',
  });
  const seconds = (performance.now() - started) / 1000;
  if (!okStatuses.includes(result.status)) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.toString().slice(-2000)}`);
  }
  let rssMb;
  if (gnuTime) {
    const last = result.stderr.toString().trim().split('\n').pop() ?? '';
    rssMb = Number(last.split(' ')[1]) / 1024;
  }
  return { seconds, rssMb, stdout: result.stdout };
}

function gitleaksCommand() {
  const candidate =
    options.gitleaks ?? spawnSync('sh', ['-c', 'command -v gitleaks'], { encoding: 'utf8' }).stdout.trim();
  if (!candidate) return undefined;
  const printed = spawnSync(candidate, ['version'], { encoding: 'utf8' }).stdout.trim();
  // Debian's build prints "version is set by build process" instead of a number.
  const version = /^v?\d/.test(printed) ? printed : '(version not printed)';
  // gitleaks 8.19 renamed `detect` to `git`; Debian packages 8.16.
  const hasGit = spawnSync(candidate, ['git', '--help'], { encoding: 'utf8' }).status === 0;
  return { path: candidate, version, hasGit };
}

const repository = options.repo
  ? { root: options.repo, planted: undefined }
  : await buildSyntheticRepository(Number(options.commits));
const root = repository.root;
const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, env, encoding: 'utf8' }).trim();
const commitCount = execFileSync('git', ['rev-list', '--all', '--count'], {
  cwd: root,
  env,
  encoding: 'utf8',
}).trim();
const gitleaks = gitleaksCommand();
const cores = availableParallelism();
const gitleaksJson = join(scratch, 'gitleaks.json');

// shipguard exits 1 when it finds secrets.
const findingsStatuses = [0, 1];
const tools = [
  {
    label: 'git log -p -U0 --all (floor)',
    run: () => measure('git', ['-C', root, 'log', '-p', '-U0', '--all'], { stdout: 'pipe' }),
  },
  {
    label: 'shipguard secrets --history (default threads)',
    run: () => {
      const result = measure(process.execPath, [cli, 'secrets', root, '--history', '--format', 'json'], {
        stdout: 'pipe',
        okStatuses: findingsStatuses,
      });
      return { ...result, report: JSON.parse(result.stdout.toString()) };
    },
  },
  {
    label: `shipguard secrets --history --threads ${cores}`,
    run: () =>
      measure(
        process.execPath,
        [cli, 'secrets', root, '--history', '--format', 'json', '--threads', `${cores}`],
        { stdout: 'pipe', okStatuses: findingsStatuses },
      ),
  },
];
if (gitleaks) {
  const args = gitleaks.hasGit
    ? [
        'git',
        root,
        '--no-banner',
        '--report-format',
        'json',
        '--report-path',
        gitleaksJson,
        '--exit-code',
        '0',
      ]
    : ['detect', '--source', root, '--no-banner', '--report-path', gitleaksJson, '--exit-code', '0'];
  tools.push({
    label: `gitleaks ${gitleaks.version} ${args[0]}`,
    run: () => ({ ...measure(gitleaks.path, args), report: JSON.parse(readFileSync(gitleaksJson, 'utf8')) }),
  });
}

const loadBefore = loadavg()[0].toFixed(2);
const samples = tools.map(() => []);
const last = [];
for (let run = 0; run < runs; run++) {
  for (const [index, tool] of tools.entries()) {
    const result = tool.run();
    samples[index].push(result);
    last[index] = result;
  }
}
const loadAfter = loadavg()[0].toFixed(2);

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

const shipguardReport = last[1].report;
const gitleaksReport = gitleaks ? last[tools.length - 1].report : undefined;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const shipguardSecrets = new Set(shipguardReport.findings.map((finding) => finding.secret.sha256));

console.log(`repository: ${options.repo ? root : 'synthetic'} at ${head}, ${commitCount} commits`);
console.log(
  `shipguard: in-process scan ${median(samples[1].map((sample) => sample.report.stats.elapsedMs))} ms (median; the rest is node and CLI start-up), ${shipguardReport.stats.scanned} text blobs (${Math.round(shipguardReport.stats.bytes / 1e6)} MB), ${shipguardReport.findings.length} findings`,
);
if (gitleaksReport) {
  // The tools may cut a secret differently (a whole PEM block or its body): a gitleaks finding
  // counts as also found when shipguard has the same secret, or a finding in the same commit and file.
  const shipguardPlaces = new Set(
    shipguardReport.findings.map((finding) => `${finding.commit}:${finding.path}`),
  );
  const alsoFoundBy = (finding) =>
    shipguardSecrets.has(sha256(finding.Secret)) || shipguardPlaces.has(`${finding.Commit}:${finding.File}`);
  const alsoFound = gitleaksReport.filter(alsoFoundBy).length;
  console.log(
    `gitleaks: ${gitleaksReport.length} findings, of which shipguard also found ${alsoFound} (same secret, or same commit and file)`,
  );
  // Where gitleaks found something shipguard did not: rule, place and length only, never the value.
  for (const finding of gitleaksReport) {
    if (alsoFoundBy(finding)) continue;
    console.log(
      `  only gitleaks: ${finding.RuleID} ${finding.File}:${finding.StartLine} (${finding.Secret.length} chars) in ${finding.Commit.slice(0, 12)}`,
    );
  }
} else {
  console.log('gitleaks: not on PATH and no --gitleaks given, not measured');
}
if (repository.planted) {
  const planted = repository.planted.map((credential) => sha256(credential.secret));
  const foundBy = (set) => planted.filter((secret) => set.has(secret)).length;
  console.log(`planted fake credentials: ${planted.length}; shipguard found ${foundBy(shipguardSecrets)}`);
  if (gitleaksReport) {
    console.log(
      `gitleaks found ${foundBy(new Set(gitleaksReport.map((finding) => sha256(finding.Secret))))}`,
    );
  }
}
console.log(
  `runs: ${runs} (median shown), load average ${loadBefore} before, ${loadAfter} after, ${cores} cores`,
);
const floor = median(samples[0].map((sample) => sample.seconds));
const gitleaksSeconds = gitleaks
  ? median(samples[tools.length - 1].map((sample) => sample.seconds))
  : undefined;
console.log('| tool | seconds (median) | ratio to floor | ratio to gitleaks | peak RSS |');
console.log('|---|---:|---:|---:|---:|');
for (const [index, tool] of tools.entries()) {
  const seconds = median(samples[index].map((sample) => sample.seconds));
  const rss =
    samples[index][0].rssMb === undefined
      ? 'n/a'
      : `${Math.round(Math.max(...samples[index].map((sample) => sample.rssMb)))} MB`;
  const toGitleaks = gitleaksSeconds ? (seconds / gitleaksSeconds).toFixed(2) : 'n/a';
  console.log(
    `| ${tool.label} | ${seconds.toFixed(2)} | ${(seconds / floor).toFixed(2)} | ${toGitleaks} | ${rss} |`,
  );
}
console.log(
  `all runs (s): ${tools.map((tool, index) => `${tool.label}: ${samples[index].map((sample) => sample.seconds.toFixed(2)).join(' ')}`).join('; ')}`,
);
if (options.keep && !options.repo) console.log(`repository kept at ${root}`);
