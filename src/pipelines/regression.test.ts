import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPipelines } from './load.js';
import { memorySource } from './memory-source.js';
import { evaluatePipelineRules, pipelineRules } from './rules/index.js';

const folder = fileURLToPath(new URL('./__fixtures__/regression/', import.meta.url));

/** Where a fixture is placed in the test repository, from its name (see the folder's README). */
function placeOf(name: string): string {
  if (name.endsWith('.workflow.yml')) return `.github/workflows/${name.replace(/\.workflow\.yml$/, '.yml')}`;
  if (name.endsWith('.gitlab-ci.yml')) return '.gitlab-ci.yml';
  if (name.endsWith('.action.yml')) return `.github/actions/${name.replace(/\.action\.yml$/, '')}/action.yml`;
  throw new Error(`fixture ${name} has no known suffix`);
}

function expectedOf(text: string): Set<string> {
  const expected = new Set<string>();
  for (const [index, line] of text.split('\n').entries()) {
    const annotation = /expect: ((?:pipelines\/[a-z-]+\s*)+)/.exec(line);
    for (const rule of annotation?.[1]?.trim().split(/\s+/) ?? []) expected.add(`${rule}@${index + 1}`);
  }
  return expected;
}

interface Tally {
  truePositives: number;
  falsePositives: string[];
  falseNegatives: string[];
}

async function runRegressionSet(): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>(
    pipelineRules.map((rule) => [rule.id, { truePositives: 0, falsePositives: [], falseNegatives: [] }]),
  );
  const fixtures = readdirSync(folder).filter((name) => name.endsWith('.yml'));
  for (const name of fixtures) {
    const text = readFileSync(`${folder}${name}`, 'utf8');
    const set = await loadPipelines(memorySource({ [placeOf(name)]: text }));
    expect(set.errors, name).toEqual([]);
    const expected = expectedOf(text);
    const found = new Set(
      evaluatePipelineRules(set).map((finding) => `${finding.ruleId}@${finding.position.line}`),
    );
    for (const item of new Set([...expected, ...found])) {
      const rule = item.slice(0, item.indexOf('@'));
      const tally = tallies.get(rule);
      if (!tally) throw new Error(`${name}: unknown rule ${rule}`);
      if (expected.has(item) && found.has(item)) tally.truePositives += 1;
      else if (found.has(item)) tally.falsePositives.push(`${name}:${item}`);
      else tally.falseNegatives.push(`${name}:${item}`);
    }
  }
  return tallies;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : numerator / denominator;
}

describe('pipeline rule regression set', () => {
  it('finds exactly the annotated findings: precision and recall 1.0 for every rule', async () => {
    const tallies = await runRegressionSet();
    const rows = [...tallies].map(([rule, tally]) => ({
      rule,
      tp: tally.truePositives,
      fp: tally.falsePositives.length,
      fn: tally.falseNegatives.length,
      precision: ratio(tally.truePositives, tally.truePositives + tally.falsePositives.length).toFixed(2),
      recall: ratio(tally.truePositives, tally.truePositives + tally.falseNegatives.length).toFixed(2),
    }));
    console.table(rows);
    const mistakes = [...tallies.values()].flatMap((tally) => [
      ...tally.falsePositives.map((item) => `false positive ${item}`),
      ...tally.falseNegatives.map((item) => `missed ${item}`),
    ]);
    expect(mistakes).toEqual([]);
    // Every rule has at least one unsafe example in the set.
    for (const row of rows) expect(row.tp, row.rule).toBeGreaterThan(0);
  });
});
