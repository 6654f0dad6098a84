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

const folder = mkdtempSync(join(tmpdir(), 'shipguard-sbom-bench-'));
try {
  const lock = generatePackageLock(count);
  writeFileSync(join(folder, 'package-lock.json'), JSON.stringify(lock, null, 2));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0' }));
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
  const cdxgen = spawnSync('npx', ['--no-install', '@cyclonedx/cdxgen', '--version'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (cdxgen.status !== 0)
    console.log('cdxgen: not installed here (npx --no-install failed); no comparison measured');
  else
    console.log(
      `cdxgen ${cdxgen.stdout.trim()} is available: time it with: npx @cyclonedx/cdxgen -t js -o out.json ${folder}`,
    );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
