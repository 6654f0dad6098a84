import { describe, expect, it } from 'vitest';
import { classifyJob } from './evidence.js';
import { loadPipelines } from './load.js';
import { memorySource } from './memory-source.js';
import { findTestCommand, testCommandOf } from './test-commands.js';

/** [line, command recognised or undefined] */
const cases: [string, string | undefined][] = [
  ['      - run: npm test', 'npm test'],
  ['        run: npm ci && npm test', 'npm test'],
  ['  script: npm run test:unit', 'npm test'],
  ['npm run-script test', 'npm test'],
  ['npm --prefix web test', 'npm test'],
  ['npm t', 'npm test'],
  ['yarn test --ci', 'yarn test'],
  ['yarn workspace api test', 'yarn test'],
  ['pnpm -r test', 'pnpm test'],
  ['pnpm run test', 'pnpm test'],
  ['        run: pnpm run test-unit', 'pnpm test'],
  ['pnpm test-serve', 'pnpm test'],
  ['pnpm --filter web run test:e2e', 'pnpm test'],
  ['bun test', 'bun test'],
  ['run: pytest -q', 'pytest'],
  ['python -m pytest tests/', 'pytest'],
  ['uv run pytest', 'pytest'],
  ['py.test', 'pytest'],
  ['go test ./... -race', 'go test'],
  ['cargo test --workspace', 'cargo test'],
  ['cargo +nightly test', 'cargo test'],
  ['cargo nextest run', 'cargo test'],
  ['mvn -B verify', 'mvn test'],
  ['./mvnw --batch-mode clean test', 'mvn test'],
  ['mvn -B package', 'mvn test'],
  ['./gradlew check', 'gradle test'],
  ['gradle build --scan', 'gradle test'],
  ['./gradlew :app:testDebugUnitTest', 'gradle test'],
  ['bundle exec rake', 'rake'],
  ['bundle exec rspec', 'rake'],
  ['bin/rails test', 'rails test'],
  ['dotnet test --no-build', 'dotnet test'],
  ['vendor/bin/phpunit', 'phpunit'],
  ['make test', 'make test'],
  ['make -j4 check', 'make test'],
  ['tox -e py312', 'tox'],
  ['nox -s tests', 'nox'],
  ['npx vitest run', 'vitest'],
  ["sh 'npx jest --ci'", 'jest'],
  ['deno test -A', 'deno test'],
  ['mix test', 'mix test'],
  ['swift test', 'swift test'],
  ['ctest --output-on-failure', 'ctest'],
  ['bazel test //...', 'bazel test'],
  // Not tests.
  ['npm ci', undefined],
  ['npm install typescript', undefined],
  ['npm install test-utils', undefined],
  ['pnpm add -D testcontainers', undefined],
  ['yarn add testing-library', undefined],
  ['npm run build-tests', undefined],
  ['npm run build', undefined],
  ['yarn install --frozen-lockfile', undefined],
  ['go vet ./...', undefined],
  ['go build ./...', undefined],
  ['cargo build --release', undefined],
  ['mvn -B -DskipTests package', undefined],
  ['./gradlew build -x test', undefined],
  ['./gradlew assembleRelease', undefined],
  ['uses: example/jest-reporter@v1', undefined],
  ['cp jest.config.js dist/', undefined],
  ['echo toxic', undefined],
  ['make build', undefined],
  ['name: Run the tests', undefined],
  ['# npm test', undefined],
  ['// sh "go test ./..."', undefined],
];

describe('findTestCommand', () => {
  it.each(cases)('%s -> %s', (line, expected) => {
    expect(findTestCommand(line)?.command).toBe(expected);
  });

  it('reports the line of the first match', () => {
    expect(findTestCommand('steps:\n  - run: npm ci\n  - run: npm test\n  - run: go test ./...\n')).toEqual({
      line: 3,
      command: 'npm test',
    });
  });

  // The test timeout is the hang guard (a backtracking recogniser would never finish).
  it('skips over-long lines and finishes on hostile text', { timeout: 5_000 }, () => {
    const hostile = `npm ${'x '.repeat(1900)}\n${'npm '.repeat(900)}\n`;
    expect(findTestCommand(`${'a'.repeat(5000)} npm test\n${hostile}`)).toBeUndefined();
  });
});

describe('one recogniser for the ci collector and the pipeline evidence', () => {
  it.each(cases)(
    'a GitLab job running %s is a test activity exactly when the line is a test command',
    async (line) => {
      const script = line.replace(/^\s*(?:-\s*)?(?:run|script):\s*/, '').trim();
      const set = await loadPipelines(
        memorySource({ '.gitlab-ci.yml': `unit:\n  script:\n    - ${JSON.stringify(script)}\n` }),
      );
      const job = set.pipelines[0]?.jobs[0];
      expect(job, line).toBeDefined();
      if (!job) return;
      const runsTests = classifyJob(job).some((activity) => activity.kind === 'test');
      expect(runsTests, line).toBe(testCommandOf(script) !== undefined);
    },
  );
});
