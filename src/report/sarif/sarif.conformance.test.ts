import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/load.js';
import { collectors } from '../../collectors/index.js';
import { assess } from '../../core/engine.js';
import { RepositorySnapshot } from '../../core/repository.js';
import { defaultLoadedPolicy } from '../../policy/load.js';
import { createTestRepository } from '../../testing/git-repository.js';
import { buildAssessment, hostileAssessment, sampleAssessment } from '../../testing/sample-assessment.js';
import { validateAssessmentDocument } from '../json/validate.js';
import { buildSarif } from './render.js';

// The official SARIF 2.1.0 schema from ../shared/corpora (beside the repository), never copied in.
const schemaFile = fileURLToPath(
  new URL('../../../../shared/corpora/sarif/sarif-schema-2.1.0.json', import.meta.url),
);
const available = existsSync(schemaFile);
if (!available)
  console.warn(`skipping SARIF conformance: ${schemaFile} not found (../shared/corpora is absent)`);

/**
 * The schema declares draft-04 (`$schema`, and `id` for its identifier) but uses nothing that
 * differs from draft-07 (no boolean exclusiveMinimum), so Ajv's default draft-07 class reads it
 * once the two draft-04 spellings are translated. Not strict: the schema has union types.
 */
function compileSarifSchema(): ValidateFunction {
  const {
    $schema: _draft,
    id,
    ...rest
  } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  return ajv.compile({ ...rest, $id: typeof id === 'string' ? id : 'urn:sarif:2.1.0' });
}

describe.skipIf(!available)('SARIF output against the official 2.1.0 schema', () => {
  const validate = available ? compileSarifSchema() : undefined;

  function errorsOf(document: unknown): unknown[] {
    if (!validate) throw new Error('schema not loaded');
    return validate(document) ? [] : (validate.errors ?? []);
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
