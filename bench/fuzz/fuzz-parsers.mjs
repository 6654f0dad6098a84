// biome-ignore-all lint/suspicious/noTemplateCurlyInString: seeds hold Maven `${property}` references
// biome-ignore-all lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
// Fuzzes every parser that reads hostile input, for a set time each, with fast-check.
// Usage: npm run build && node bench/fuzz/fuzz-parsers.mjs [seconds-per-parser] [parser-name ...]
// (SHIPGUARD_DIST may point at another built dist/ folder.) Not part of `npm test`.
//
// A run fails on: an exception that is not shipguard's own typed error (ShipguardError with a
// code), one input taking longer than the hang budget, the heap growing past the memory budget,
// or a redacted output still holding the planted credential. Results go to stdout, one line per
// parser: inputs tried, slowest input, peak heap; see bench/README.md for recorded figures.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';

const seconds = Number(process.argv[2] ?? 600);
const only = new Set(process.argv.slice(3));
const dist = process.env.SHIPGUARD_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
if (!existsSync(join(dist, 'cli', 'main.js'))) throw new Error(`${dist} has no build: run npm run build`);
const load = (path) => import(pathToFileURL(join(dist, path)).href);

const hangBudgetMs = 2_000;
const heapBudgetBytes = 1024 * 1024 * 1024;

const { ShipguardError } = await load('kernel/errors.js');
const { redactText } = await load('kernel/redaction.js');
const { escapeForTerminal } = await load('kernel/terminal-text.js');
const { ecosystemForLockfile } = await load('ecosystems/index.js');
const { parseYaml } = await load('pipelines/yaml.js');
const { loadPipelines } = await load('pipelines/load.js');
const { readSbomPackages } = await load('sbom/import.js');
const { parseVex } = await load('vulns/vex.js');
const { loadGitleaksConfig } = await load('secrets/gitleaks/config.js');
const { findCatastrophicBacktracking } = await load('secrets/gitleaks/regex-safety.js');
const { parseEnvelope } = await load('provenance/dsse.js');
const { parseCalendar } = await load('policy/calendar.js');
const { parseEvidenceFile } = await load('evidence-import/index.js');

/** Valid-looking seeds, so that mutations reach deep into each format. */
const seeds = {
  'package-lock.json': JSON.stringify({
    name: 'x',
    lockfileVersion: 3,
    packages: {
      '': { dependencies: { a: '^1' } },
      'node_modules/a': { version: '1.0.0', integrity: 'sha512-AA==' },
    },
  }),
  'yarn.lock':
    '# yarn lockfile v1\n\n"a@^1.0.0":\n  version "1.0.0"\n  resolved "https://r/a.tgz"\n  dependencies:\n    b "^2"\n',
  'pnpm-lock.yaml':
    "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AA==}\nsnapshots:\n  a@1.0.0: {}\n",
  'requirements.txt': 'requests==2.31.0\nflask>=2 ; python_version > "3.8"\n-e git+https://h/x.git#egg=x\n',
  'poetry.lock': '[[package]]\nname = "a"\nversion = "1.0.0"\n[package.dependencies]\nb = ">=1"\n',
  'Pipfile.lock': '{"default": {"a": {"version": "==1.0.0"}}, "develop": {}}',
  'Gemfile.lock':
    'GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.0)\n      x (>= 1)\n\nDEPENDENCIES\n  rake\n',
  'Cargo.lock': 'version = 3\n[[package]]\nname = "a"\nversion = "1.0.0"\ndependencies = ["b"]\n',
  'composer.lock': '{"packages": [{"name": "a/b", "version": "1.0.0"}], "packages-dev": []}',
  'go.sum': 'github.com/a/b v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n',
  'go.mod':
    'module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.0.0\n)\nreplace github.com/a/b => github.com/c/d v1.1.0\n',
  'packages.lock.json':
    '{"version": 1, "dependencies": {"net8.0": {"A": {"type": "Direct", "resolved": "1.0.0"}}}}',
  'gradle.lockfile': 'com.example:lib:1.0=compileClasspath,runtimeClasspath\nempty=\n',
  'pom.xml':
    '<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties><v>2</v></properties><dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>${v}</version></dependency></dependencies></project>',
};

const workflowSeed =
  'on: [push]\njobs:\n  build: &b\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n  again: *b\n';
const sbomSeed = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  components: [{ name: 'a', purl: 'pkg:npm/a@1.0.0', components: [{ name: 'b', purl: 'pkg:pypi/b@2' }] }],
});
const vexSeed = JSON.stringify({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  statements: [
    {
      vulnerability: { name: 'CVE-2024-1' },
      products: [{ '@id': 'pkg:npm/a@1.0.0' }],
      status: 'not_affected',
      justification: 'component_not_present',
    },
  ],
});
const gitleaksSeed =
  "[[rules]]\nid = 'x'\nregex = '''(?i)token[=:]([a-z0-9]{32})'''\nkeywords = ['token']\n[allowlist]\nregexes = ['''^test''']\n";
const envelopeSeed = JSON.stringify({
  payloadType: 'application/vnd.in-toto+json',
  payload: 'e30=',
  signatures: [{ keyid: 'k', sig: 'AA==' }],
});
const calendarSeed =
  'BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:20261225\nDTEND;VALUE=DATE:20261226\nRRULE:FREQ=YEARLY\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n';

/** Text: a seed mutated by slicing, repeating, inserting hostile fragments; or arbitrary text. */
function textFrom(seed) {
  const fragments = fc.constantFrom(
    '*a',
    '&a ',
    '<<: *a',
    '${v}',
    '${p}${p}',
    '{',
    '[',
    '"',
    "'",
    '\n',
    '\r\n',
    '\t',
    '\u0000',
    '\u001b[2K',
    '\u202e',
    '- ',
    ': ',
    '#',
    '<!--',
    ']]>',
    '<',
    '>',
    '\\',
    '\\u0000',
    '(a|aa)+$',
    '(?:',
    ')',
    '*',
    '+',
    '{99999}',
    'ghp_',
    `ghp_${'a1B2'.repeat(9)}`,
    `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    'https://u:p@h/',
    '@',
    '=',
  );
  const mutation = fc.tuple(fc.nat(), fc.nat(), fc.array(fragments, { maxLength: 8 }), fc.nat({ max: 200 }));
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(mutation, { maxLength: 6 }).map((steps) => mutate(seed, steps)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2000 }) },
    { weight: 1, arbitrary: fc.array(fragments, { maxLength: 400 }).map((parts) => parts.join('')) },
  );
}

function mutate(seed, steps) {
  let text = seed;
  for (const [at, length, insert, repeat] of steps) {
    const start = at % (text.length + 1);
    const end = Math.min(text.length, start + (length % 40));
    const inserted = insert.join('');
    // Repeating a slice grows nesting and counts (deep structures, many aliases).
    const repeated = repeat > 150 ? text.slice(start, end).repeat(repeat) : '';
    text = `${text.slice(0, start)}${inserted}${repeated}${text.slice(end)}`;
  }
  return text;
}

function isTyped(error) {
  return error instanceof ShipguardError && typeof error.code === 'string' && error.code.length > 0;
}

const targets = [];
for (const [name, seed] of Object.entries(seeds)) {
  const module = ecosystemForLockfile(name);
  if (!module?.extract) throw new Error(`no extractor for ${name}`);
  targets.push({
    name: `lockfile ${name}`,
    input: textFrom(seed),
    run: (text) => module.extract({ path: name, text, readSibling: () => undefined }),
  });
}
targets.push(
  {
    name: 'pipelines yaml',
    input: textFrom(workflowSeed),
    run: (text) => parseYaml('.github/workflows/x.yml', text),
  },
  {
    name: 'pipelines load',
    input: textFrom(workflowSeed),
    run: (text) => {
      const files = ['.github/workflows/ci.yml', '.gitlab-ci.yml'];
      const source = {
        files,
        readText: async (path) => ({ path, text, truncated: false, size: text.length }),
      };
      return loadPipelines(source);
    },
  },
  { name: 'sbom import', input: textFrom(sbomSeed), run: (text) => readSbomPackages('bom.json', text) },
  { name: 'vex', input: textFrom(vexSeed), run: (text) => parseVex('vex.json', text) },
  {
    name: 'gitleaks config',
    input: textFrom(gitleaksSeed),
    run: (text) => loadGitleaksConfig(text, '.gitleaks.toml'),
  },
  {
    name: 'regex safety',
    input: textFrom('(?i)\\b(?:api|token)[\\w.-]{0,20}([a-z0-9]{32})'),
    run: (text) => findCatastrophicBacktracking(text),
  },
  { name: 'dsse envelope', input: textFrom(envelopeSeed), run: (text) => parseEnvelope(text) },
  {
    name: 'calendar',
    input: textFrom(calendarSeed),
    run: (text) =>
      parseCalendar(text, 'holidays.ics', {
        since: new Date('2026-01-01T00:00:00Z'),
        until: new Date('2027-01-01T00:00:00Z'),
        defaultZone: 'UTC',
      }),
  },
  {
    name: 'redaction',
    input: fc.tuple(
      textFrom('line: '),
      fc.constantFrom(`ghp_${'a1B2'.repeat(9)}`, ['xoxb', '123456789012', 'AbCdEfGhIjKl'].join('-')),
    ),
    run: ([text, secret]) => {
      const redacted = redactText(`${text} ${secret} ${text}`);
      if (redacted.includes(secret)) throw new Error(`redaction kept ${secret}`);
      const escaped = escapeForTerminal(redacted);
      if (/[\u0000-\u001f\u007f\u202e]/.test(escaped)) throw new Error('escaping left a control character');
    },
  },
);

/** Seeds of the evidence files `shipguard evidence import` reads (other tools' reports). */
const evidenceSeeds = {
  sarif: JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'semgrep', rules: [{ id: 'r1', properties: { tags: ['CWE-79'] } }] } },
        versionControlProvenance: [{ revisionId: 'a'.repeat(40) }],
        invocations: [{ executionSuccessful: true, endTimeUtc: '2026-12-01T00:00:00Z' }],
        results: [{ ruleId: 'r1', level: 'error', message: { text: 'x' }, locations: [] }],
      },
    ],
  }),
  junit:
    '<?xml version="1.0"?>\n<testsuites tests="2" failures="1"><testsuite name="s" tests="2" failures="1" timestamp="2026-12-01T00:00:00"><testcase name="a"/><testcase name="b"><failure message="m">x</failure></testcase></testsuite></testsuites>\n',
  zap: JSON.stringify({
    '@version': '2.15.0',
    '@generated': 'Mon, 1 Dec 2026 00:00:00',
    site: [
      { '@name': 'https://app.test', alerts: [{ pluginid: '1', alert: 'XSS', riskcode: '3', cweid: '79' }] },
    ],
  }),
  testssl: JSON.stringify([{ id: 'heartbleed', severity: 'HIGH', finding: 'vulnerable' }]),
  lcov: 'TN:\nSF:src/a.ts\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n',
  cobertura:
    '<?xml version="1.0"?>\n<coverage line-rate="0.5" lines-covered="1" lines-valid="2" timestamp="1764547200"><packages><package name="p"><classes><class name="c" filename="a.ts"><lines><line number="1" hits="1"/></lines></class></classes></package></packages></coverage>\n',
};
for (const [format, seed] of Object.entries(evidenceSeeds)) {
  targets.push({
    name: `evidence ${format}`,
    input: textFrom(seed),
    run: (text) => parseEvidenceFile(Buffer.from(text, 'utf8'), `report.${format}`, format),
  });
}

let failed = false;
for (const target of targets) {
  if (only.size > 0 && !only.has(target.name)) continue;
  let inputs = 0;
  let slowest = 0;
  let peakHeap = 0;
  const property = fc.asyncProperty(target.input, async (input) => {
    inputs += 1;
    const started = performance.now();
    try {
      await target.run(input);
    } catch (error) {
      if (!isTyped(error)) throw error;
    }
    const elapsed = performance.now() - started;
    slowest = Math.max(slowest, elapsed);
    if (elapsed > hangBudgetMs) throw new Error(`one input took ${Math.round(elapsed)} ms`);
    if (inputs % 200 === 0) {
      const heap = process.memoryUsage().heapUsed;
      peakHeap = Math.max(peakHeap, heap);
      if (heap > heapBudgetBytes) throw new Error(`heap at ${Math.round(heap / 2 ** 20)} MB`);
    }
  });
  const result = await fc.check(property, {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: seconds * 1000,
    markInterruptAsFailure: false,
  });
  const line = `${target.name.padEnd(30)} ${String(inputs).padStart(9)} inputs in ${seconds} s, slowest ${slowest.toFixed(0)} ms, peak heap ${Math.round(peakHeap / 2 ** 20)} MB`;
  if (result.failed) {
    failed = true;
    // The whole input, to replay it (the line below shows only its start).
    const saved = join(tmpdir(), `shipguard-fuzz-${target.name.replace(/[^\w.-]+/g, '_')}.json`);
    writeFileSync(saved, JSON.stringify(result.counterexample));
    console.log(
      `FAIL ${line}\n  ${result.errorInstance?.stack ?? result.error}\n  counterexample (whole in ${saved}; seed ${result.seed}, path ${result.counterexamplePath}): ${JSON.stringify(result.counterexample).slice(0, 2000)}`,
    );
  } else console.log(`ok   ${line}`);
}
process.exitCode = failed ? 1 : 0;
