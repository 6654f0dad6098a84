import { manifestNames, skippedFolders } from '../../ecosystems/index.js';
import type { Evidence, Finding } from '../../kernel/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import { type DependencyUpdatesFacts, dependabotLocations, renovateLocations } from './collect.js';

const lookedFor = [...dependabotLocations, ...renovateLocations, 'package.json (renovate key)'];

export const dependencyUpdatesConfigured: Check<DependencyUpdatesFacts> = {
  id: 'dependency-updates/configured',
  title: 'Automated dependency updates are configured',
  severity: 'medium',
  remediation:
    'Add .github/dependabot.yml with an `updates` entry per package ecosystem, or a Renovate configuration (renovate.json), so that security fixes in dependencies arrive as pull requests.',
  evaluate(facts) {
    const evidence: Evidence[] = [];
    const findings: Finding[] = [];
    const dependabot = facts.dependabot;
    const dependabotWorks =
      dependabot !== undefined && dependabot.problems.length === 0 && dependabot.updates.length > 0;
    if (dependabot && dependabotWorks) {
      for (const update of dependabot.updates) {
        const where = update.directory === undefined ? '' : ` in ${update.directory}`;
        evidence.push({
          kind: 'file',
          path: dependabot.path,
          line: update.line,
          note: `Dependabot: ${update.ecosystem}${where}`,
        });
      }
    }
    const renovate = facts.renovate.filter((config) => !config.disabled);
    for (const config of renovate) {
      evidence.push({ kind: 'file', path: config.path, line: config.line, note: 'Renovate configuration' });
    }
    if (evidence.length > 0) {
      const tools = [dependabotWorks ? 'Dependabot' : '', renovate.length > 0 ? 'Renovate' : ''].filter(
        Boolean,
      );
      return passed(this.id, `dependency updates configured (${tools.join(', ')})`, evidence);
    }

    if (dependabot && !dependabot.readable) {
      return unknown(
        this.id,
        `${dependabot.path} could not be read`,
        `Make ${dependabot.path} a readable UTF-8 file (see the problems list) and run again.`,
      );
    }
    if (dependabot) {
      const problems =
        dependabot.problems.length > 0 ? dependabot.problems : [{ message: 'no `updates` entries', line: 1 }];
      for (const problem of problems) {
        findings.push(
          findingOf(this, `${dependabot.path}: ${problem.message}`, {
            location:
              problem.line === undefined
                ? { path: dependabot.path }
                : { path: dependabot.path, line: problem.line },
            key: problem.message,
            remediation: 'Fix the Dependabot configuration: GitHub ignores a file it cannot parse.',
          }),
        );
      }
      evidence.push({
        kind: 'file',
        path: dependabot.path,
        note: 'present but configures no working update',
      });
    }
    for (const config of facts.renovate) {
      findings.push(
        findingOf(this, `${config.path}: Renovate is disabled ("enabled": false).`, {
          location: { path: config.path, line: config.line },
          key: 'renovate-disabled',
        }),
      );
      evidence.push({ kind: 'file', path: config.path, line: config.line, note: 'Renovate disabled' });
    }
    if (findings.length === 0 && facts.manifestCount === 0) {
      return notApplicable(this.id, 'no dependency manifests, so nothing to update', [
        {
          kind: 'absence',
          lookedFor: [...manifestNames],
          in: skippedFolders,
        },
      ]);
    }
    evidence.push({
      kind: 'absence',
      lookedFor,
      in: 'working tree',
      note: `${facts.manifestCount} dependency manifest(s), e.g. ${facts.manifestSample.join(', ') || 'none'}`,
    });
    if (findings.length === 0) {
      findings.push(
        findingOf(
          this,
          `${facts.manifestCount} dependency manifest(s) but no Dependabot or Renovate configuration.`,
        ),
      );
    }
    return failed(this.id, 'no working dependency-update configuration', evidence, findings);
  },
};
