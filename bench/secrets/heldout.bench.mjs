// Recall and precision on held-out material: the per-rule test inputs another secret scanner
// publishes (secretlint's snapshot fixtures: each credential rule's `test/snapshots/<case>/input`
// beside the `output.json` that says whether that rule must report it). Nothing of that project is
// kept in this repository: the inputs are extracted at run time from a checkout (or bare clone)
// given with --source into a scratch folder that is removed afterwards.
//
// A case is an input with a secret when its expected output holds at least one message, clean
// otherwise. An input with a secret counts as found when the tool reports a finding in it; a clean
// input counts as flagged on the same terms. shipguard is counted twice: with every finding, and
// with findings that are not low (low marks placeholders and test credentials).
// Rules that are not credential rules (file-name, home-directory, comment-filter, pattern and
// preset packages) are left out.
//
//   npm run build
//   node bench/secrets/heldout.bench.mjs --source <secretlint checkout or clone> [--gitleaks PATH]
//     [--keep] [--list]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    source: { type: 'string' },
    gitleaks: { type: 'string' },
    keep: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
  },
});
if (!options.source) {
  console.error('usage: heldout.bench.mjs --source <secretlint checkout or clone> [--gitleaks PATH]');
  process.exit(2);
}
const dist = process.env.SHIPGUARD_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const cli = join(dist, 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'shipguard-bench-heldout-'));
const root = join(scratch, 'inputs');
process.on('exit', () => {
  if (!options.keep) rmSync(scratch, { recursive: true, force: true });
});

const notCredentialRules =
  /secretlint-rule-(example|filter-comments|no-dotenv|no-homedir|no-k8s-kind-secret|pattern|preset-)/;

// The source is either a working tree or a git directory (read at HEAD).
const asTree = existsSync(join(options.source, 'packages'));
function listFiles() {
  if (asTree)
    return execFileSync('git', ['-C', options.source, 'ls-files', 'packages/@secretlint'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    })
      .split('\n')
      .filter(Boolean);
  return execFileSync(
    'git',
    ['--git-dir', options.source, 'ls-tree', '-r', '--name-only', 'HEAD', 'packages/@secretlint'],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  )
    .split('\n')
    .filter(Boolean);
}
function readSource(path) {
  if (asTree) return readFileSync(join(options.source, path));
  return execFileSync('git', ['--git-dir', options.source, 'show', `HEAD:${path}`], {
    maxBuffer: 1 << 26,
  });
}

// One case per snapshot folder: its input file (named as the rule expects: input.txt, .npmrc,
// package.json, ...) and output.json. A clean case whose .secretlintrc.json gives the rule options
// (an allow-list, a check turned off) is clean only by configuration and is left out.
const folders = new Map();
for (const path of listFiles()) {
  const match = /^packages\/@secretlint\/(secretlint-rule-[^/]+)\/test\/snapshots\/([^/]+)\/([^/]+)$/.exec(
    path,
  );
  if (!match || notCredentialRules.test(match[1])) continue;
  const key = `${match[1]}/${match[2]}`;
  const entry = folders.get(key) ?? { rule: match[1], id: match[2], files: new Map() };
  entry.files.set(match[3], path);
  folders.set(key, entry);
}
const cases = [];
for (const { rule, id, files } of folders.values()) {
  if (!files.has('output.json')) continue;
  const inputs = [...files.keys()].filter(
    (name) => !['output.json', 'options.ts', '.secretlintrc.json'].includes(name),
  );
  if (inputs.length !== 1) continue;
  const expected = JSON.parse(readSource(files.get('output.json')).toString('utf8'));
  const secret = (expected.messages ?? []).length > 0;
  // A case whose .secretlintrc.json gives the rule options (an allow-list, a check turned on or
  // off) has its expected result by configuration, not by its content: left out on both sides.
  if (files.has('.secretlintrc.json')) {
    const config = JSON.parse(readSource(files.get('.secretlintrc.json')).toString('utf8'));
    if ((config.rules ?? []).some((r) => r.options && Object.keys(r.options).length > 0)) continue;
  }
  const name = `${rule.slice('secretlint-rule-'.length)}__${id}`.replace(/[^A-Za-z0-9._-]+/g, '_');
  const folder = join(root, secret ? 'secret' : 'clean', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, inputs[0]), readSource(files.get(inputs[0])));
  cases.push({ name, secret, rel: `${secret ? 'secret' : 'clean'}/${name}` });
}

function caseOf(relPath) {
  const parts = relPath.split('/');
  return `${parts[0]}/${parts[1]}`;
}

// shipguard is scored twice: counting every finding (as gitleaks, which has no severities, is),
// and counting only findings that are not low (low: a placeholder or a test credential).
function runShipguard() {
  const result = spawnSync(
    process.execPath,
    [cli, 'secrets', root, '--format', 'json', '--fail-on', 'critical'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  if (!result.stdout) throw new Error(`shipguard failed: ${result.stderr}`);
  const any = new Map();
  const notLow = new Map();
  for (const finding of JSON.parse(result.stdout).findings) {
    const key = caseOf(finding.path);
    const label = `${finding.ruleId}:${finding.severity}`;
    any.set(key, [...(any.get(key) ?? []), label]);
    if (finding.severity !== 'low') notLow.set(key, [...(notLow.get(key) ?? []), label]);
  }
  return { any, notLow };
}

function runGitleaks(binary) {
  const out = join(scratch, 'gitleaks.json');
  spawnSync(
    binary,
    [
      'detect',
      '--no-git',
      '--source',
      root,
      '--report-format',
      'json',
      '--report-path',
      out,
      '--exit-code',
      '0',
    ],
    { encoding: 'utf8' },
  );
  const hits = new Map();
  for (const finding of JSON.parse(readFileSync(out, 'utf8'))) {
    const file = finding.File.startsWith(root) ? finding.File.slice(root.length + 1) : finding.File;
    const key = caseOf(file);
    hits.set(key, [...(hits.get(key) ?? []), finding.RuleID]);
  }
  return hits;
}

function score(hits) {
  const secret = cases.filter((c) => c.secret);
  const clean = cases.filter((c) => !c.secret);
  return {
    found: secret.filter((c) => hits.has(c.rel)).length,
    secrets: secret.length,
    flagged: clean.filter((c) => hits.has(c.rel)).length,
    clean: clean.length,
    missed: secret.filter((c) => !hits.has(c.rel)).map((c) => c.name),
    falsePositives: clean
      .filter((c) => hits.has(c.rel))
      .map((c) => `${c.name} (${hits.get(c.rel).join(', ')})`),
  };
}

const shipguard = runShipguard();
const rows = [
  ['shipguard, any finding', score(shipguard.any)],
  ['shipguard, findings not low', score(shipguard.notLow)],
];
if (options.gitleaks) {
  const version = execFileSync(options.gitleaks, ['version'], { encoding: 'utf8' }).trim();
  rows.push([`gitleaks ${version}`, score(runGitleaks(options.gitleaks))]);
}
console.log(
  `held-out inputs: ${cases.filter((c) => c.secret).length} with a secret, ${cases.filter((c) => !c.secret).length} clean`,
);
console.log('| tool | with a secret: found | clean: flagged |');
console.log('|---|---:|---:|');
for (const [tool, s] of rows) console.log(`| ${tool} | ${s.found}/${s.secrets} | ${s.flagged}/${s.clean} |`);
if (options.list)
  for (const [tool, s] of rows) {
    console.log(`\n${tool} missed:\n  ${s.missed.join('\n  ')}`);
    console.log(`${tool} flagged clean:\n  ${s.falsePositives.join('\n  ')}`);
  }
if (options.keep) console.log(`inputs kept in ${root}`);
