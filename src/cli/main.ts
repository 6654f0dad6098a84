#!/usr/bin/env node
// The shipguard executable. Everything it does lives in program.ts, so tests can run it in-process.
import { main } from './program.js';

process.exitCode = await main(process.argv);
