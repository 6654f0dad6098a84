#!/usr/bin/env node
// The shipguard executable. Everything it does lives in program.ts, so tests can run it in-process.
import { enableCompileCache } from 'node:module';

// Compiling shipguard's few hundred modules dominates start-up; Node keeps the compiled code in
// its cache folder, so later runs start in a fraction of the time. The program is imported after.
enableCompileCache();
const { main } = await import('./program.js');

const supportedMajor = 24;
const runningMajor = Number(process.versions.node.split('.')[0]);
if (runningMajor < supportedMajor) {
  // A secure-development tool says so when it runs on an unsupported runtime, rather than guess.
  process.stderr.write(
    `shipguard: warning: running on Node ${process.versions.node}; shipguard supports Node ${supportedMajor} LTS (npm ci installs it; run through npx or npm scripts)\n`,
  );
}

process.exitCode = await main(process.argv);
