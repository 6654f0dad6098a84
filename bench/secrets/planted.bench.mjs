// Precision and recall per provider family on a synthetic planted set, shipguard side by side
// with gitleaks. Every value is generated at run time (fake credentials with correct checksums and
// structures), written one per file into a scratch folder that is removed afterwards:
//
// - positives: `--seeds` (default 3) fake credentials per rule, in realistic files;
// - near misses: for each positive, a placeholder of the same shape (letters and digits replaced by
//   x), the token one character short, and — for rules that need the provider's name — the value
//   under a setting that does not name a provider; plus test credentials to localhost in a
//   compose file (they must come out low, never high).
//
// A positive counts as found when the tool reports any finding on its line; any finding in a
// near-miss file is a false positive (for shipguard, low findings are not counted as leaks).
//
//   npm run build
//   node bench/secrets/planted.bench.mjs [--gitleaks PATH] [--seeds 3] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    gitleaks: { type: 'string' },
    seeds: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const dist = process.env.SHIPGUARD_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const cli = join(dist, 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'shipguard-bench-planted-'));
process.on('exit', () => {
  if (!options.keep) rmSync(scratch, { recursive: true, force: true });
});

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
const { fakeCredentials, sampleToken, createRandom } = await import(
  new URL('../../src/testing/fake-credentials.ts', import.meta.url).href
);
const { providerRules } = await import(
  new URL('../../src/secrets/rules/provider-rules.ts', import.meta.url).href
);

const familyOf = (ruleId) => ruleId.split('-')[0];
const providers = new Map(providerRules.map((provider) => [provider.spec.id, provider]));
const random = createRandom(2024);

function shortened(segments) {
  const copy = [...segments];
  for (let index = copy.length - 1; index >= 0; index--) {
    const segment = copy[index];
    if (typeof segment === 'string' || 'oneOf' in segment) continue;
    copy[index] = [segment[0], segment[1] - 1];
    return copy;
  }
  return copy;
}

const root = join(scratch, 'planted');
const planted = []; // { path, line, family, kind: 'positive' | 'negative' }
function plant(path, content, family, kind, secret) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  const line = secret ? content.slice(0, content.indexOf(secret)).split('\n').length : 0;
  planted.push({ path, line, family, kind });
}

let fileIndex = 0;
for (let seed = 1; seed <= Number(options.seeds); seed++) {
  for (const credential of fakeCredentials(seed)) {
    const family = familyOf(credential.ruleId);
    const at = (name) => `${family}/${fileIndex++}-${name}`;
    const extension = credential.path.split('/').pop();
    plant(at(extension), credential.content, family, 'positive', credential.secret);
    const placeholder = credential.secret.replace(/[A-Za-z0-9]/g, 'x');
    plant(
      at(`placeholder-${extension}`),
      credential.content.replace(credential.secret, placeholder),
      family,
      'negative',
    );
    const provider = providers.get(credential.ruleId);
    if (!provider) continue;
    const short = sampleToken(shortened(provider.segments), random);
    const name = provider.names?.[0];
    plant(
      at(`short-${extension}`),
      name ? `${name.toUpperCase()}_SETTING = "${short}"\n` : `settings:\n  build: ${short}\n`,
      family,
      'negative',
    );
    if (name)
      plant(at(`unnamed-${extension}`), `SETTING_VALUE = "${credential.secret}"\n`, family, 'negative');
  }
}
// Test credentials: must not be high-severity leaks.
for (const [index, url] of [
  'postgres://postgres:postgres@localhost:5432/app',
  ['mysql://root', 'example@127.0.0.1:3306/app'].join(':'),
  ['redis://default', 'devpass42@redis:6379'].join(':'),
  'amqp://guest:guest@rabbitmq:5672',
].entries()) {
  plant(
    `test-credentials/${index}/docker-compose.yml`,
    `services:\n  app:\n    environment:\n      URL: ${url}\n`,
    'test-credentials',
    'negative',
  );
}

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
  return JSON.parse(result.stdout)
    .findings.filter((finding) => finding.severity !== 'low')
    .map((finding) => ({ path: finding.path, line: finding.line }));
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
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(readFileSync(out, 'utf8')).map((finding) => ({
    path: finding.File.startsWith(root) ? finding.File.slice(root.length + 1) : finding.File,
    line: finding.StartLine,
  }));
}

function score(findings) {
  const byPath = new Map();
  for (const finding of findings)
    byPath.set(finding.path, [...(byPath.get(finding.path) ?? []), finding.line]);
  const families = new Map();
  for (const item of planted) {
    const row = families.get(item.family) ?? { positives: 0, found: 0, negatives: 0, flagged: 0 };
    const lines = byPath.get(item.path) ?? [];
    if (item.kind === 'positive') {
      row.positives++;
      if (lines.includes(item.line)) row.found++;
    } else {
      row.negatives++;
      if (lines.length > 0) row.flagged++;
    }
    families.set(item.family, row);
  }
  return families;
}

const tools = [['shipguard', score(runShipguard())]];
if (options.gitleaks) tools.push(['gitleaks', score(runGitleaks(options.gitleaks))]);
if (options.gitleaks) {
  const version = execFileSync(options.gitleaks, ['version'], { encoding: 'utf8' }).trim();
  console.log(`gitleaks: ${options.gitleaks} (${version})`);
}

const families = [...tools[0][1].keys()].sort();
const totals = tools.map(() => ({ positives: 0, found: 0, negatives: 0, flagged: 0 }));
const header = `| family | positives | near misses | ${tools.map(([name]) => `${name} recall | ${name} false positives`).join(' | ')} |`;
const rows = [header, `|---|---:|---:|${tools.map(() => '---:|---:').join('|')}|`];
for (const family of families) {
  const cells = tools.map(([, table], index) => {
    const row = table.get(family);
    for (const key of Object.keys(totals[index])) totals[index][key] += row[key];
    return `${row.found}/${row.positives} | ${row.flagged}/${row.negatives}`;
  });
  const first = tools[0][1].get(family);
  rows.push(`| ${family} | ${first.positives} | ${first.negatives} | ${cells.join(' | ')} |`);
}
rows.push(
  `| **all** | ${totals[0].positives} | ${totals[0].negatives} | ${totals.map((total) => `${total.found}/${total.positives} | ${total.flagged}/${total.negatives}`).join(' | ')} |`,
);
console.log(rows.join('\n'));
for (const [index, [name]] of tools.entries()) {
  const total = totals[index];
  const precision = total.found / Math.max(1, total.found + total.flagged);
  console.log(
    `${name}: recall ${(total.found / total.positives).toFixed(3)}, false positives ${total.flagged}/${total.negatives}, precision ${precision.toFixed(3)}`,
  );
}
