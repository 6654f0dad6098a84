// SBOM of a large generated package-lock.json, timed as whole processes (node startup included).
// Usage: node bench/supply-chain/sbom.bench.mjs [packages] [runs]   (needs `npm run build` first,
// or SHIPGUARD_DIST pointing at a built dist/ folder)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePackageLock } from './generate-lockfile.mjs';

const count = Number(process.argv[2] ?? 2500);
const runs = Number(process.argv[3] ?? 5);
const dist = process.env.SHIPGUARD_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const main = join(dist, 'cli', 'main.js');
if (!existsSync(main)) throw new Error(`${main} not found: run npm run build, or set SHIPGUARD_DIST`);

// BENCH_PROJECT names a real project folder (a package.json and its package-lock.json) to use
// instead of a generated lockfile; it is left untouched apart from the SBOMs written into it.
const project = process.env.BENCH_PROJECT;
const folder = project ?? mkdtempSync(join(tmpdir(), 'shipguard-sbom-bench-'));
try {
  const lock = project
    ? JSON.parse(execFileSync('cat', [join(folder, 'package-lock.json')], { maxBuffer: 1 << 30 }).toString())
    : generatePackageLock(count);
  if (!project) {
    writeFileSync(join(folder, 'package-lock.json'), JSON.stringify(lock, null, 2));
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0' }));
  }
  const entries = Object.keys(lock.packages).length - 1;
  const size = statSync(join(folder, 'package-lock.json')).size;
  const times = { cyclonedx: [], spdx: [] };
  for (let run = 0; run < runs; run++) {
    for (const format of ['cyclonedx', 'spdx']) {
      const out = join(folder, `bom.${format}.json`);
      const start = process.hrtime.bigint();
      execFileSync(
        process.execPath,
        [main, 'sbom', folder, '--format', format, '-o', out, '--timestamp', '2026-01-01T00:00:00Z'],
        {
          stdio: 'ignore',
        },
      );
      times[format].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const startup = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', '0']);
    startup.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`lockfile: ${entries} entries, ${(size / 1024 / 1024).toFixed(1)} MB`);
  console.log(`node startup alone: ${median(startup).toFixed(0)} ms (median of ${runs})`);
  for (const format of ['cyclonedx', 'spdx']) {
    const components = JSON.parse(
      execFileSync('cat', [join(folder, `bom.${format}.json`)], { maxBuffer: 1 << 30 }).toString(),
    );
    const listed = format === 'cyclonedx' ? components.components.length : components.packages.length - 1;
    console.log(
      `shipguard sbom --format ${format}: ${median(times[format]).toFixed(0)} ms (median of ${runs}), ${listed} components`,
    );
  }
  // cdxgen side by side, when CDXGEN names its executable (e.g. from `npm install @cyclonedx/cdxgen`
  // in a scratch folder outside this repository): same lockfile, same runs, whole processes.
  const cdxgen = process.env.CDXGEN;
  if (!cdxgen) {
    console.log('cdxgen: set CDXGEN=/path/to/node_modules/.bin/cdxgen to measure it side by side');
  } else {
    const cdxTimes = [];
    for (let run = 0; run < runs; run++) {
      const start = process.hrtime.bigint();
      // cdxgen refuses to work as root (its secure mode); run it as an unprivileged user then.
      const cdxArgs = ['-t', 'js', '-o', join(folder, 'bom.cdxgen.json'), folder];
      const asRoot = process.getuid?.() === 0;
      const result = spawnSync(
        asRoot ? 'runuser' : cdxgen,
        asRoot ? ['-u', 'nobody', '--', cdxgen, ...cdxArgs] : cdxArgs,
        {
          stdio: 'ignore',
          env: { ...process.env, FETCH_LICENSE: 'false', CDXGEN_DEBUG_MODE: '' },
          timeout: 300_000,
        },
      );
      if (result.status !== 0) throw new Error(`cdxgen exited ${result.status}`);
      cdxTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const cdxComponents = JSON.parse(
      execFileSync('cat', [join(folder, 'bom.cdxgen.json')], { maxBuffer: 1 << 30 }).toString(),
    ).components.length;
    const ours = median(times.cyclonedx);
    const theirs = median(cdxTimes);
    console.log(`cdxgen -t js: ${theirs.toFixed(0)} ms (median of ${runs}), ${cdxComponents} components`);
    console.log(`ratio cdxgen / shipguard (CycloneDX): ${(theirs / ours).toFixed(1)}x`);
  }
} finally {
  if (!project) rmSync(folder, { recursive: true, force: true });
}
