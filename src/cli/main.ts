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

// Compiling shipguard's few hundred modules dominates start-up; Node keeps the compiled code in
// its cache folder, so later runs start in a fraction of the time. The program is imported after.
const { enableCompileCache } = await import('node:module');
enableCompileCache();
const { main } = await import('./program.js');

process.exitCode = await main(process.argv);
