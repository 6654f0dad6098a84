// Links node_modules/.bin/shipguard to the built executable, as npm does for a dependency's bin.
// npm does not link a project's own bin; without this, `npx shipguard` resolves the package
// through npm's full dependency-tree load on every run, which costs seconds.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';

const link = 'node_modules/.bin/shipguard';
mkdirSync('node_modules/.bin', { recursive: true });
rmSync(link, { force: true });
symlinkSync('../../dist/cli/main.js', link);
chmodSync('dist/cli/main.js', 0o755);
