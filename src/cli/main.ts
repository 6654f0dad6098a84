#!/usr/bin/env node
// The shipguard executable. Everything it does lives in program.ts, so tests can run it in-process.
import { main } from './program.js';

const supportedMajor = 24;
const runningMajor = Number(process.versions.node.split('.')[0]);
if (runningMajor < supportedMajor) {
  // A secure-development tool says so when it runs on an unsupported runtime, rather than guess.
  process.stderr.write(
    `shipguard: warning: running on Node ${process.versions.node}; shipguard supports Node ${supportedMajor} LTS (npm ci installs it; run through npx or npm scripts)\n`,
  );
}

process.exitCode = await main(process.argv);
