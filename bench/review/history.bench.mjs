// Times shipguard's offline review analysis on a real git history of many commits, built with
// `git fast-import` (merges, squashes, trailers, direct pushes, sensitive paths) and cached in the
// temporary folder between runs. Usage: node bench/review/history.bench.mjs [changes]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
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

const { analyseReview } = await import(new URL('../../src/source-control/analysis.ts', import.meta.url).href);

const changes = Number(process.argv[2] ?? 50_000);
const folder = join(tmpdir(), `shipguard-bench-review-${changes}`);
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

function buildHistory() {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', folder], { env });
  const lines = [];
  let mark = 0;
  let time = 1_700_000_000;
  const people = [
    'Ada <ada@example.com>',
    'Bob <bob@example.com>',
    'Carol <carol@example.com>',
    'Dan <dan@example.com>',
  ];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}`;
  const commit = (ref, author, message, file, content, from, merge) => {
    mark += 1;
    time += 60;
    lines.push(
      `commit ${ref}`,
      `mark :${mark}`,
      `author ${author} ${time} +0000`,
      `committer ${author} ${time} +0000`,
      data(message),
    );
    if (from) lines.push(`from :${from}`);
    if (merge) lines.push(`merge :${merge}`);
    lines.push(`M 100644 inline ${file}`, data(content), '');
    return mark;
  };
  let main = commit(
    'refs/heads/main',
    people[0],
    'initial\n',
    'CODEOWNERS',
    '.github/ bob@example.com\n',
    0,
    0,
  );
  for (let index = 1; index < changes; index++) {
    const author = people[index % people.length];
    const reviewer = people[(index + 1) % people.length];
    const file = index % 100 === 0 ? '.github/workflows/ci.yml' : `src/file-${index % 500}.txt`;
    const content = `change ${index}\n`;
    if (index % 10 === 0) {
      const side = commit('refs/heads/side', author, `work ${index}\n`, file, content, main, 0);
      main = commit(
        'refs/heads/main',
        people[3],
        `Merge pull request #${index} from acme/topic-${index}\n\nwork ${index}\n`,
        file,
        content,
        main,
        side,
      );
    } else if (index % 3 === 0) {
      main = commit('refs/heads/main', author, `Change ${index} (#${index})\n`, file, content, main, 0);
    } else if (index % 7 === 0) {
      main = commit('refs/heads/main', author, `Direct ${index}\n`, file, content, main, 0);
    } else {
      main = commit(
        'refs/heads/main',
        author,
        `Change ${index}\n\nBody text.\n\nReviewed-by: ${reviewer}\nSigned-off-by: ${author}\n`,
        file,
        content,
        main,
        0,
      );
    }
  }
  lines.push('');
  const result = spawnSync('git', ['fast-import', '--quiet'], {
    cwd: folder,
    env,
    input: lines.join('\n'),
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`git fast-import failed: ${result.stderr}`);
  execFileSync('git', ['reset', '--quiet', '--hard', 'main'], { cwd: folder, env });
}

if (
  !existsSync(join(folder, '.git')) ||
  execFileSync('git', ['rev-list', '--first-parent', '--count', 'main'], { cwd: folder, env })
    .toString()
    .trim() !== String(changes)
) {
  const started = performance.now();
  buildHistory();
  console.log(
    `built ${changes} changes in ${((performance.now() - started) / 1000).toFixed(1)} s at ${folder}`,
  );
}

const revList = performance.now();
execFileSync('git', ['rev-list', '--first-parent', 'main'], { cwd: folder, env, maxBuffer: 1 << 30 });
const revListSeconds = (performance.now() - revList) / 1000;

for (const paths of [true]) {
  const started = performance.now();
  const analysis = await analyseReview(folder, { window: { last: changes }, verifySignatures: true });
  const seconds = (performance.now() - started) / 1000;
  const { figures } = analysis;
  console.log(
    JSON.stringify({
      changes: figures.changes,
      reviewed: figures.reviewed,
      unverified: figures.unverified,
      unreviewed: figures.unreviewed,
      sensitive: analysis.sensitive.length,
      seconds: Number(seconds.toFixed(2)),
      revListSeconds: Number(revListSeconds.toFixed(2)),
      paths,
      rssMegabytes: Math.round(process.memoryUsage().rss / 1024 / 1024),
    }),
  );
}
