// Matching 10,000 packages against 50,000 synthetic OSV advisories, in memory, with memory use.
// Usage: node bench/supply-chain/match.bench.mjs [packages] [advisories]  (needs a built dist/)
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageCount = Number(process.argv[2] ?? 10_000);
const advisoryCount = Number(process.argv[3] ?? 50_000);
const dist = process.env.SHIPGUARD_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const { parseOsvRecord } = await import(join(dist, 'advisories', 'osv.js'));
const { AdvisoryIndex } = await import(join(dist, 'advisories', 'match.js'));
const { findVulnerabilities } = await import(join(dist, 'vulns', 'findings.js'));
const { defaultPolicy } = await import(join(dist, 'policy', 'schema.js'));

const ecosystems = [
  ['npm', 'npm'],
  ['PyPI', 'pypi'],
  ['Maven', 'maven'],
  ['Go', 'golang'],
  ['crates.io', 'cargo'],
  ['RubyGems', 'gem'],
];
let seed = 7;
function next() {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const version = () => `${Math.floor(next() * 10)}.${Math.floor(next() * 20)}.${Math.floor(next() * 20)}`;
const nameOf = (index, ecosystem) =>
  ecosystem === 'Maven'
    ? `org.bench${index % 300}:artifact-${index}`
    : ecosystem === 'Go'
      ? `github.com/bench/mod-${index}`
      : `package-${index}`;

// Advisories spread over 20,000 package names, so many packages have several.
const names = 20_000;
const records = [];
for (let index = 0; index < advisoryCount; index++) {
  const [ecosystem] = ecosystems[index % ecosystems.length];
  const introduced = version();
  const fixed = `${Number(introduced.split('.')[0]) + 1}.0.0`;
  records.push(
    JSON.stringify({
      id: `GHSA-bench-${index}`,
      modified: '2026-01-01T00:00:00Z',
      published: '2025-06-01T00:00:00Z',
      aliases: [`CVE-2025-${100000 + index}`],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
      affected: [
        {
          package: { ecosystem, name: nameOf(Math.floor(next() * names), ecosystem) },
          ranges: [
            {
              type: 'ECOSYSTEM',
              events: [
                { introduced },
                { fixed },
                { introduced: `${Number(introduced.split('.')[0]) + 2}.0.0` },
                { last_affected: `${Number(introduced.split('.')[0]) + 2}.5.0` },
              ],
            },
          ],
          versions: [introduced],
        },
      ],
    }),
  );
}
const packages = [];
for (let index = 0; index < packageCount; index++) {
  const [ecosystem, type] = ecosystems[index % ecosystems.length];
  const name = nameOf(Math.floor(next() * names), ecosystem);
  const v = ecosystem === 'Go' ? `v${version()}` : version();
  packages.push({ ecosystem, name, version: v, purl: `pkg:${type}/${name}@${v}` });
}

const before = process.memoryUsage();
let start = performance.now();
const advisories = records.map((text, index) => parseOsvRecord(`${index}.json`, text));
const parseMs = performance.now() - start;
start = performance.now();
const index = new AdvisoryIndex(advisories);
const indexMs = performance.now() - start;
start = performance.now();
const findings = findVulnerabilities(packages, index, {
  now: new Date('2026-06-01T00:00:00Z'),
  settings: defaultPolicy().supplyChain,
});
const matchMs = performance.now() - start;
const after = process.memoryUsage();
console.log(`${packageCount} packages x ${advisoryCount} advisories (${names} package names, 6 ecosystems)`);
console.log(`parse + validate OSV JSON (incl. CVSS v3 scoring): ${parseMs.toFixed(0)} ms`);
console.log(`index build: ${indexMs.toFixed(0)} ms`);
console.log(
  `match (with alias merge, fixed versions, smallest fix): ${matchMs.toFixed(0)} ms -> ${findings.length} findings`,
);
console.log(
  `heap used: ${((after.heapUsed - before.heapUsed) / 1024 / 1024).toFixed(0)} MB more; peak RSS ${(after.rss / 1024 / 1024).toFixed(0)} MB`,
);
