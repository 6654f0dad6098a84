import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/index.js';
import { collectors } from '../../collectors/index.js';
import { assess } from '../../engine/index.js';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultLoadedPolicy } from '../../policy/index.js';
import { createTestRepository } from '../../testing/git-repository.js';
import { buildAssessment, hostileAssessment, sampleAssessment } from '../../testing/sample-assessment.js';
import { loadOfficialSarifValidator } from '../../testing/sarif-schema.js';
import { validateAssessmentDocument } from '../json/index.js';
import { buildSarif } from './render.js';

const validateSarif = loadOfficialSarifValidator();

describe.skipIf(validateSarif === undefined)('SARIF output against the official 2.1.0 schema', () => {
  function errorsOf(document: unknown): unknown[] {
    if (!validateSarif) throw new Error('schema not loaded');
    return validateSarif(document);
  }

  it.each([
    ['the sample assessment', sampleAssessment()],
    ['an assessment with hostile strings', hostileAssessment()],
    ['an assessment with no controls', buildAssessment([])],
  ])('accepts %s', (_name, assessment) => {
    const log = buildSarif(assessment);
    expect(errorsOf(JSON.parse(JSON.stringify(log)))).toEqual([]);
    expect(log.runs[0].results.length > 0 || assessment.controls.length === 0).toBe(true);
  });

  it('accepts what the real engine reports on a real repository with findings', async () => {
    using repository = createTestRepository();
    repository.write({
      'package.json': '{"name":"demo","dependencies":{"left-pad":"1.3.0"}}\n',
      '.env': 'PLACEHOLDER=1\n',
      '.github/workflows/ci.yml': [
        'on: pull_request_target',
        'jobs:',
        '  t:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        // A GitHub Actions expression (untrusted input in a script), written without a JS placeholder.
        `      - run: echo "$\{{ github.event.pull_request.title }}"`,
        '',
      ].join('\n'),
    });
    repository.commit('a repository with problems');
    const assessment = await assess({
      repository: await RepositorySnapshot.open(repository.path),
      catalog: loadCatalog(),
      collectors,
      loadedPolicy: defaultLoadedPolicy(),
    });
    expect(validateAssessmentDocument(JSON.parse(JSON.stringify(assessment)))).toEqual([]);
    const log = buildSarif(assessment);
    expect(log.runs[0].results.length).toBeGreaterThan(3);
    expect(errorsOf(JSON.parse(JSON.stringify(log)))).toEqual([]);
  });

  it('rejects a log the schema forbids, so the check above can fail', () => {
    const log = JSON.parse(JSON.stringify(buildSarif(sampleAssessment()))) as {
      runs: { results: { level: string }[] }[];
    };
    const first = log.runs[0]?.results[0];
    if (!first) throw new Error('the sample has results');
    first.level = 'critical';
    expect(errorsOf(log)).not.toEqual([]);
  });
});
