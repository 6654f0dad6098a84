import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { main } from '../program.js';

let repository: TestRepository | undefined;
afterEach(() => repository?.remove());

const workflow = `on: pull_request_target
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
  deploy:
    needs: test
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: npm publish
`;

function setUp(): TestRepository {
  const created = createTestRepository();
  repository = created;
  created.write({ '.github/workflows/ci.yml': workflow, '.github/workflows/broken.yml': 'on: [\n' });
  created.commit('initial');
  return created;
}

describe('shipguard pipelines', () => {
  it('writes SARIF with exact locations and exits 1 on a critical finding', async () => {
    const created = setUp();
    const out = join(created.path, 'out.sarif');
    const code = await main([
      'node',
      'shipguard',
      'pipelines',
      created.path,
      '--format',
      'sarif',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    const result = sarif.runs[0].results.find(
      (candidate: { ruleId: string }) => candidate.ruleId === 'pipelines/untrusted-checkout',
    );
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 10, startColumn: 16 },
    });
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].descriptor.id).toBe(
      'PIPELINE_YAML_INVALID',
    );
  });

  it('shows jobs, what they do, deploy targets and gates as JSON', async () => {
    const created = setUp();
    const out = join(created.path, 'out.json');
    await main([
      'node',
      'shipguard',
      'pipelines',
      created.path,
      '--format',
      'json',
      '--out',
      out,
      '--fail-on',
      'none',
    ]);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const deploy = report.pipelines[0].jobs.find((job: { id: string }) => job.id === 'deploy');
    expect(deploy).toMatchObject({
      environment: 'production',
      deploys: true,
      production: true,
      gates: { tests: 'tests in test', scans: [], refRestriction: null },
    });
    expect(deploy.gates.approval).toContain('unknown offline');
  });

  it('prints a table', async () => {
    const created = setUp();
    const out = join(created.path, 'out.txt');
    expect(
      await main(['node', 'shipguard', 'pipelines', created.path, '--out', out, '--fail-on', 'none']),
    ).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('deploys to: production (production)');
    expect(text).toContain('CRITICAL pipelines/untrusted-checkout  .github/workflows/ci.yml:10:16');
  });
});
