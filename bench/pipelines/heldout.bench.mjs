// Workflows on held-out material: runs shipguard's pipeline scanner (the built CLI, `shipguard
// pipelines --format json`) on another workflow auditor's integration-test workflows and compares
// with the findings that auditor's snapshot tests expect, per audit.
//
//   npm run build
//   node bench/pipelines/heldout.bench.mjs --zizmor /path/to/a/zizmor/checkout [--audits a,b,c,d] [--verbose]
//
// Nothing of the other project is kept: its files are read from the given checkout and copied
// into a scratch repository that is removed afterwards.
//
// What is counted, per audit (its tests in crates/zizmor/tests/integration/audit/<audit>.rs):
// - only tests run with the default persona and one `input_under_test` file (tests with
//   --persona, --fix, --config, workspaces or several inputs are left out), one test per file;
// - an expected finding is a `level[audit]: … --> @@INPUT@@:LINE:COL` block of the snapshot; its
//   span runs from LINE to the last numbered line before the `^^^` marker. It is found when
//   shipguard reports one of the mapped rules in that file on a line inside the span;
// - a clean file is an input whose snapshot has no finding of that audit; it is flagged when
//   shipguard reports any of the mapped rules in it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    zizmor: { type: 'string' },
    audits: { type: 'string', default: 'dangerous-triggers,artipacked,cache-poisoning,obfuscation' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!options.zizmor) throw new Error('usage: heldout.bench.mjs --zizmor <path of a zizmor checkout>');

/** Which shipguard rules answer which audit of the other tool. */
const ruleMap = {
  'dangerous-triggers': ['pipelines/dangerous-trigger'],
  artipacked: ['pipelines/credential-persistence'],
  'cache-poisoning': ['pipelines/cache-poisoning'],
  obfuscation: ['pipelines/obfuscation'],
  'template-injection': ['pipelines/untrusted-input-in-script'],
  'bot-conditions': ['pipelines/bot-condition'],
  'excessive-permissions': ['pipelines/excessive-permissions', 'pipelines/missing-permissions'],
  'github-env': ['pipelines/github-env-injection'],
  'insecure-commands': ['pipelines/insecure-commands'],
  'self-hosted-runner': ['pipelines/self-hosted-on-fork-trigger'],
  'unpinned-images': ['pipelines/unpinned-image'],
  'unpinned-uses': ['pipelines/unpinned-action'],
  'secrets-inherit': ['pipelines/secrets-inherit'],
  'overprovisioned-secrets': ['pipelines/over-provisioned-secrets'],
};

const integration = join(options.zizmor, 'crates', 'zizmor', 'tests', 'integration');
const dist = process.env.SHIPGUARD_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const cli = join(dist, 'cli', 'main.js');
if (!existsSync(cli)) throw new Error(`no built CLI at ${cli}: run npm run build or set SHIPGUARD_DIST`);

/** The snapshot text of a test body (`@"…"` or `@r#"…"#`). */
function snapshotOf(body) {
  const raw = /@r#"([\s\S]*?)"#/.exec(body);
  if (raw) return raw[1];
  const plain = /@"([\s\S]*?)(?<!\\)"/.exec(body);
  return plain ? plain[1] : undefined;
}

/** Expected findings of one audit in a snapshot: [{ line, end }]. */
function expectedOf(snapshot, audit) {
  const lines = snapshot.split('\n');
  const found = [];
  for (let index = 0; index < lines.length; index += 1) {
    const head = /^\s*(warning|error|help|info|note)\[([a-z-]+)\]:/.exec(lines[index]);
    if (!head || head[2] !== audit) continue;
    const where = /-->\s*@@INPUT@@:(\d+):(\d+)/.exec(lines[index + 1] ?? '');
    if (!where) continue;
    const line = Number(where[1]);
    let end = line;
    for (let next = index + 2; next < lines.length; next += 1) {
      const text = lines[next];
      if (/^\s*$/.test(text) || /^\s*=/.test(text)) break;
      const numbered = /^\s*(\d+)\s*\|/.exec(text);
      if (numbered) end = Math.max(end, Number(numbered[1]));
      if (text.includes('^')) break;
    }
    found.push({ line, end });
  }
  return found;
}

/** The cases of one audit: input file (relative to test-data) and expected findings. */
function casesOf(audit) {
  const source = readFileSync(join(integration, 'audit', `${audit.replaceAll('-', '_')}.rs`), 'utf8');
  const cases = new Map();
  for (const body of source.split('#[test]').slice(1)) {
    const inputs = [...body.matchAll(/input_under_test\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1]);
    if (inputs.length !== 1) continue;
    if (
      /--persona=(pedantic|auditor)|--fix|--config|\.config\(|WorkspaceBuilder|--gh-token|online/.test(body)
    )
      continue;
    const input = inputs[0];
    const path = join(integration, 'test-data', input);
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    const snapshot = snapshotOf(body);
    if (snapshot === undefined || cases.has(input)) continue;
    cases.set(input, expectedOf(snapshot, audit));
  }
  return cases;
}

/** Where a test input goes in the scratch repository. */
function placeOf(audit, input, index) {
  const base = input.replaceAll('/', '__').replace(/\.ya?ml$/, '');
  if (/(^|\/)action\.ya?ml$/.test(input)) return `.github/actions/${audit}-${index}/action.yml`;
  return `.github/workflows/${audit}--${index}--${base}.yml`;
}

const audits = options.audits.split(',');
const scratch = mkdtempSync(join(tmpdir(), 'shipguard-bench-heldout-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const placed = [];
for (const audit of audits) {
  if (!ruleMap[audit]) throw new Error(`no shipguard rule is mapped to ${audit}`);
  let index = 0;
  for (const [input, expected] of casesOf(audit)) {
    index += 1;
    const place = placeOf(audit, input, index);
    mkdirSync(join(scratch, place, '..'), { recursive: true });
    writeFileSync(join(scratch, place), readFileSync(join(integration, 'test-data', input)));
    placed.push({ audit, input, place, expected });
  }
}
spawnSync('git', ['init', '-q', scratch]);
const started = performance.now();
const run = spawnSync(
  process.execPath,
  [cli, 'pipelines', scratch, '--format', 'json', '--fail-on', 'critical'],
  {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  },
);
const elapsed = performance.now() - started;
if (run.status !== 0 && run.status !== 1)
  throw new Error(`shipguard pipelines failed (${run.status}): ${run.stderr}`);
const report = JSON.parse(run.stdout);
const findings = report.findings ?? [];
const errors = report.errors ?? [];

const rows = [];
const detail = [];
for (const audit of audits) {
  const rules = new Set(ruleMap[audit]);
  const row = { audit, expected: 0, found: 0, missed: 0, clean: 0, 'clean flagged': 0 };
  for (const item of placed.filter((candidate) => candidate.audit === audit)) {
    const ours = findings.filter(
      (finding) => rules.has(finding.ruleId) && (finding.position?.path ?? finding.path) === item.place,
    );
    const lineOf = (finding) => finding.position?.line ?? finding.line;
    if (item.expected.length === 0) {
      row.clean += 1;
      if (ours.length > 0) {
        row['clean flagged'] += 1;
        detail.push(`${audit}: clean ${item.input} flagged at ${ours.map(lineOf).join(',')}`);
      }
      continue;
    }
    const used = new Set();
    for (const want of item.expected) {
      row.expected += 1;
      const hit = ours.find(
        (finding) => !used.has(finding) && lineOf(finding) >= want.line && lineOf(finding) <= want.end,
      );
      if (hit) {
        used.add(hit);
        row.found += 1;
      } else {
        row.missed += 1;
        detail.push(`${audit}: missed ${item.input}:${want.line}-${want.end}`);
      }
    }
    for (const extra of ours.filter((finding) => !used.has(finding)))
      detail.push(`${audit}: extra ${item.input}:${lineOf(extra)} ${extra.ruleId}`);
  }
  rows.push(row);
}
const total = rows.reduce(
  (sum, row) => ({
    audit: 'total',
    expected: sum.expected + row.expected,
    found: sum.found + row.found,
    missed: sum.missed + row.missed,
    clean: sum.clean + row.clean,
    'clean flagged': sum['clean flagged'] + row['clean flagged'],
  }),
  { expected: 0, found: 0, missed: 0, clean: 0, 'clean flagged': 0 },
);
console.table([...rows, total]);
if (errors.length > 0) console.log(`files shipguard could not read: ${errors.length}`);
if (options.verbose) for (const line of detail) console.log(line);
console.log(
  `${placed.length} files, scan ${elapsed.toFixed(0)} ms, load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
