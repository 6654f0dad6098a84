import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../kernel/index.js';
import { createTestRepository } from '../testing/git-repository.js';
import { loadOfficialSarifValidator } from '../testing/sarif-schema.js';
import { loadPipelines } from './load.js';
import { buildPipelineReport, renderPipelineSarif } from './report.js';

const validateSarif = loadOfficialSarifValidator();
const regressionFolder = fileURLToPath(new URL('./__fixtures__/regression/', import.meta.url));

describe.skipIf(validateSarif === undefined)(
  'shipguard pipelines SARIF against the official 2.1.0 schema',
  () => {
    it('validates the findings of every unsafe workflow in the regression set', async () => {
      using repository = createTestRepository();
      const unsafe = readdirSync(regressionFolder).filter((name) => name.includes('-unsafe.'));
      for (const name of unsafe) {
        repository.write({
          [`.github/workflows/${name.replace('.workflow', '')}`]: readFileSync(regressionFolder + name),
        });
      }
      repository.commit('unsafe workflows');
      const set = await loadPipelines(await RepositorySnapshot.open(repository.path));
      const report = buildPipelineReport(set, {
        trustedActionOwners: [],
        productionEnvironments: ['production'],
      });
      const log = JSON.parse(renderPipelineSarif(report)) as { runs: { results: unknown[] }[] };
      expect(log.runs[0]?.results.length).toBeGreaterThan(unsafe.length / 2);
      expect(validateSarif?.(log)).toEqual([]);
    });
  },
);
