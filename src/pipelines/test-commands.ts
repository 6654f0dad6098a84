/**
 * Recognises commands that run a test suite in CI definitions, line by line. The patterns are
 * linear: bounded token gaps, no nested quantifiers, and lines longer than `maxLineLength` are
 * skipped, so hostile files cannot make matching slow.
 */

export interface TestCommand {
  line: number;
  /** A short name for the command recognised, e.g. `npm test`, `pytest`. */
  command: string;
}

const maxLineLength = 4000;

/** Before a command: start of line, whitespace, a shell separator, a quote or a path slash. */
const start = String.raw`(?:^|[\s;&|(\x60'"/])`;
/** After a command word: end of line, whitespace, a shell separator, a quote or a colon. */
const end = String.raw`(?=$|[\s;&|)\x60'":])`;
/** Up to `count` arguments between a tool and its sub-command (flags, `run`, a workspace name). */
function gap(count: number): string {
  return String.raw`(?:\s+[^\s;&|]+){0,${count}}?\s+`;
}

function command(
  name: string,
  pattern: string,
  unless?: RegExp,
): { name: string; pattern: RegExp; unless?: RegExp } {
  return unless
    ? { name, pattern: new RegExp(start + pattern + end), unless }
    : { name, pattern: new RegExp(start + pattern + end) };
}

/** Package-manager sub-commands that never run tests: an argument after them is a package name. */
const notRunning =
  'install|i|add|ci|remove|uninstall|un|rm|exec|dlx|x|create|init|update|up|upgrade|link|pack|publish';
/** Like `gap`, but stops at a sub-command that installs or executes something else. */
function scriptGap(count: number): string {
  return String.raw`(?:\s+(?!(?:${notRunning})(?=\s|$))[^\s;&|]+){0,${count}}?\s+`;
}
/** A package.json script that runs tests: `test`, `test:unit`, `test-e2e`. */
const testScript = String.raw`test[\w:-]*`;

const skipsTests = /-DskipTests|-Dmaven\.test\.skip=true|\s-x\s+:?test\b/;

const testCommands = [
  command('npm test', `npm${scriptGap(4)}(?:${testScript}|t)`),
  command('yarn test', `yarn${scriptGap(4)}${testScript}`),
  command('pnpm test', `pnpm${scriptGap(4)}${testScript}`),
  command('bun test', `bun${scriptGap(4)}${testScript}`),
  command('pytest', String.raw`(?:python[\d.]*\s+-m\s+)?py\.?test`),
  command('go test', String.raw`go\s+test`),
  command('cargo test', String.raw`cargo(?:\s+\+[^\s;&|]+)?\s+(?:test|nextest)`),
  command('mvn test', `(?:mvn|mvnw|mvnw\\.cmd)${gap(6)}(?:test|verify|package|install)`, skipsTests),
  command(
    'gradle test',
    `(?:gradle|gradlew|gradlew\\.bat)${gap(6)}(?:[^\\s;&|]*:)?(?:test|check|build)\\w*`,
    skipsTests,
  ),
  command('rake', '(?:rake|rspec)'),
  command('rails test', String.raw`rails\s+test`),
  command('dotnet test', String.raw`dotnet\s+test`),
  command('phpunit', '(?:phpunit|pest)'),
  command('composer test', String.raw`composer\s+test`),
  command('make test', `make${gap(4)}(?:test|check)`),
  command('tox', 'tox'),
  command('nox', 'nox'),
  command('vitest', 'vitest'),
  command('jest', 'jest'),
  command('mocha', 'mocha'),
  command('deno test', String.raw`deno\s+test`),
  command('mix test', String.raw`mix\s+test`),
  command('swift test', String.raw`swift\s+test`),
  command('ctest', 'ctest'),
  command('bazel test', `(?:bazel|bazelisk)${gap(4)}test`),
];

/** The test command one line runs (`npm test`, `pytest`, …), or undefined; comment lines run none. */
export function testCommandOf(line: string): string | undefined {
  if (line.length > maxLineLength) return undefined;
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#') || trimmed.startsWith('//')) return undefined;
  for (const candidate of testCommands) {
    if (candidate.pattern.test(line) && !candidate.unless?.test(line)) return candidate.name;
  }
  return undefined;
}

/** The first line of `text` that runs tests, skipping comment lines (`#`, `//`). */
export function findTestCommand(text: string): TestCommand | undefined {
  for (const [index, line] of text.split('\n').entries()) {
    const command = testCommandOf(line);
    if (command !== undefined) return { line: index + 1, command };
  }
  return undefined;
}
