// Whole-assessment benchmark: times `shipguard assess` as a user runs it, cold (a new store: every
// blob of the history read and scanned) and warm (the same store again: only new blobs read), and
// gitleaks' history scan of the same clone, side by side, runs interleaved so that load from
// other jobs falls on each alike. Medians and the largest peak RSS are printed as a Markdown table.
//
//   node bench/assess/assess.bench.mjs --repo /path/to/clone [--gitleaks PATH] [--runs 3]
//       [--before /path/to/other/dist]   (a second build, e.g. the previous commit's, timed alike)
//
// Needs a built dist/ (`npm run build`). Peak RSS is GNU time's %M of the node process (not its
// git children) when /usr/bin/time exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    repo: { type: 'string' },
    gitleaks: { type: 'string' },
    before: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});
if (!options.repo) throw new Error('--repo PATH is required: a clone of the repository to assess');
const runs = Number(options.runs);
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'shipguard-bench-assess-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Runs a command to completion; returns seconds and peak RSS in MB (undefined without GNU time). */
function timed(command, args) {
  const argv = gnuTime ? ['-f', '%M', command, ...args] : args;
  const started = performance.now();
  const run = spawnSync(gnuTime ?? command, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  // assess exits 1 when a control fails and gitleaks 1 when it finds something: both are results.
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`${command} ${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
  const rss = gnuTime ? Number(run.stderr.trim().split('\n').at(-1)) / 1024 : undefined;
  return { seconds, rss };
}

const builds = [['shipguard', dist]];
if (options.before) builds.push(['shipguard (before)', options.before]);
const samples = new Map();
const record = (name, sample) => samples.set(name, [...(samples.get(name) ?? []), sample]);
const loads = [];
for (let run = 0; run < runs; run++) {
  loads.push(loadavg()[0]);
  for (const [name, build] of builds) {
    const store = join(scratch, `store-${run}-${name.length}.db`);
    const assess = ['assess', options.repo, '--db', store, '--fail-on', 'none', '-f', 'json'];
    const cli = join(build, 'cli', 'main.js');
    record(`${name} assess, cold`, timed(process.execPath, [cli, ...assess]));
    record(`${name} assess, warm`, timed(process.execPath, [cli, ...assess]));
  }
  if (options.gitleaks) {
    const report = join(scratch, 'gitleaks.json');
    record(
      'gitleaks 8 detect (history only)',
      timed(options.gitleaks, ['detect', '--no-banner', '--source', options.repo, '--report-path', report]),
    );
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
console.log(
  `runs: ${runs}, load average at each run's start: ${loads.map((load) => load.toFixed(1)).join(', ')}`,
);
console.log('\n| what | median | range | peak RSS |\n|---|---:|---:|---:|');
for (const [name, list] of samples) {
  const seconds = list.map((sample) => sample.seconds);
  const rss = list.map((sample) => sample.rss ?? 0);
  const range = `${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)} s`;
  console.log(
    `| ${name} | ${median(seconds).toFixed(2)} s | ${range} | ${gnuTime ? `${Math.round(Math.max(...rss))} MB` : 'n/a'} |`,
  );
}
