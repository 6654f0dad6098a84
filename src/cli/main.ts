#!/usr/bin/env node
// The shipguard executable. Everything it does lives in program.ts, so tests can run it in-process.
// Nothing is imported statically: on an older Node an import of a newer API would fail before the
// version check below could say what is wrong.

const supportedMajor = 24;
/** The oldest Node with every API shipguard uses (node:sqlite, the compile cache). */
const workingMajor = 22;
const runningMajor = Number(process.versions.node.split('.')[0]);
const howToPin = `in a project, \`npm install --save-dev node@${supportedMajor}\` and run shipguard through npx or npm scripts`;
if (runningMajor < workingMajor) {
  // Refused plainly rather than failing later on a missing API.
  process.stderr.write(
    `shipguard: Node ${process.versions.node} is not supported; shipguard needs Node ${supportedMajor} LTS (${howToPin})\n`,
  );
  process.exit(2);
}
if (runningMajor < supportedMajor) {
  // A secure-development tool says so when it runs on an unsupported runtime, rather than guess.
  process.stderr.write(
    `shipguard: warning: running on Node ${process.versions.node}; shipguard supports Node ${supportedMajor} LTS (${howToPin})\n`,
  );
}

// V8 sizes the young generation from the machine's memory (16 MB semi-spaces here); shipguard's
// work is reading files and blobs, most of it short-lived, and with 4 MB semi-spaces it runs
// faster and in a third less memory (decision 0013; bench/README.md). `gc` lets a step that
// leaves much large garbage have it collected at once (kernel/memory.ts, decision 0016). Flags
// are only known at start, so the process replaces itself once with them (POSIX only), unless
// the person running it chose their own Node flags.
const nodeFlags = ['--max-semi-space-size=4', '--expose-gc'];
if (
  typeof process.execve === 'function' &&
  process.execArgv.length === 0 &&
  !(process.env['NODE_OPTIONS'] ?? '').includes('--max-semi-space-size')
) {
  try {
    process.execve(process.execPath, [process.execPath, ...nodeFlags, ...process.argv.slice(1)], process.env);
  } catch {
    // Not replaced (a sandbox may forbid it): the same work, with V8's default sizes.
  }
}

// Compiling shipguard's few hundred modules dominates start-up; Node keeps the compiled code in
// its cache folder, so later runs start in a fraction of the time. The program is imported after.
const { enableCompileCache } = await import('node:module');
enableCompileCache();
const { main } = await import('./program.js');

process.exitCode = await main(process.argv);
