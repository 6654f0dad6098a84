import { type ManifestEcosystem, manifestNames, skippedFolders } from '../../ecosystems/index.js';
import type { Evidence, Finding } from '../../kernel/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import { type DependencyUpdatesFacts, dependabotLocations, renovateLocations } from './collect.js';

const lookedFor = [...dependabotLocations, ...renovateLocations, 'package.json (renovate key)'];

/** Days between runs of a Dependabot schedule interval; undefined for cron or unknown values. */
export function intervalDays(interval: string | undefined): number | undefined {
  switch (interval?.toLowerCase()) {
    case 'daily':
      return 1;
    case 'weekly':
      return 7;
    case 'monthly':
      return 31;
    case 'quarterly':
      return 92;
    case 'semiannually':
      return 183;
    case 'yearly':
      return 366;
    default:
      return undefined;
  }
}

/** The Dependabot `package-ecosystem` names that update each manifest ecosystem. */
const dependabotNames: Readonly<Record<ManifestEcosystem, readonly string[]>> = {
  npm: ['npm', 'bun'],
  pypi: ['pip', 'uv'],
  go: ['gomod'],
  cargo: ['cargo'],
  maven: ['maven'],
  gradle: ['gradle'],
  rubygems: ['bundler'],
  composer: ['composer'],
  nuget: ['nuget'],
};

/** The manifests' ecosystems that no Dependabot update entry names. */
function ecosystemsWithoutUpdates(
  facts: DependencyUpdatesFacts,
  updates: readonly { ecosystem: string }[],
): DependencyUpdatesFacts['manifestEcosystems'] {
  const named = new Set(updates.map((update) => update.ecosystem.toLowerCase()));
  return facts.manifestEcosystems.filter(
    (item) => !dependabotNames[item.ecosystem].some((name) => named.has(name)),
  );
}

export const dependencyUpdatesConfigured: Check<DependencyUpdatesFacts> = {
  id: 'dependency-updates/configured',
  title: 'Automated dependency updates are configured',
  severity: 'medium',
  remediation:
    'Add .github/dependabot.yml with an `updates` entry per package ecosystem, or a Renovate configuration (renovate.json), so that security fixes in dependencies arrive as pull requests.',
  evaluate(facts, policy) {
    const evidence: Evidence[] = [];
    const findings: Finding[] = [];
    const dependabot = facts.dependabot;
    const dependabotWorks =
      dependabot !== undefined && dependabot.problems.length === 0 && dependabot.updates.length > 0;
    const window = policy.supplyChain.updateWindowDays;
    const slow = dependabotWorks
      ? dependabot.updates.filter((update) => (intervalDays(update.interval) ?? 0) > window)
      : [];
    if (dependabot && slow.length > 0) {
      // Updates that arrive once a year are not prompt: a security fix waits up to the interval.
      return failed(
        this.id,
        `Dependabot updates ${slow.map((update) => `${update.ecosystem} ${update.interval}`).join(', ')}; the policy asks for at least every ${window} day(s)`,
        slow.map((update) => ({
          kind: 'file' as const,
          path: dependabot.path,
          line: update.intervalLine ?? update.line,
          note: `${update.ecosystem}: ${update.interval}`,
        })),
        slow.map((update) =>
          findingOf(
            this,
            `${update.ecosystem}${update.directory === undefined ? '' : ` in ${update.directory}`} is updated ${update.interval}, less often than every ${window} day(s).`,
            {
              location: { path: dependabot.path, line: update.intervalLine ?? update.line },
              key: `${update.ecosystem}\0${update.directory ?? ''}\0interval`,
              remediation: `Set schedule.interval to daily or weekly (supplyChain.updateWindowDays is ${window}).`,
            },
          ),
        ),
      );
    }
    const renovate = facts.renovate.filter((config) => !config.disabled && config.problem === undefined);
    // Renovate finds every package manager itself; Dependabot updates only the ecosystems it names.
    const uncovered =
      dependabotWorks && renovate.length === 0 ? ecosystemsWithoutUpdates(facts, dependabot.updates) : [];
    if (dependabot && uncovered.length > 0) {
      return failed(
        this.id,
        `no Dependabot updates for ${uncovered.map((item) => item.ecosystem).join(', ')}, which the manifests use`,
        [
          {
            kind: 'file',
            path: dependabot.path,
            note: `updates ${dependabot.updates.map((update) => update.ecosystem).join(', ')}`,
          },
          ...uncovered.map((item) => ({
            kind: 'file' as const,
            path: item.example,
            note: `${item.ecosystem} manifest`,
          })),
        ],
        uncovered.map((item) =>
          findingOf(this, `${item.ecosystem} manifests (e.g. ${item.example}) get no Dependabot updates.`, {
            location: { path: dependabot.path },
            key: `${item.ecosystem}\0uncovered`,
            remediation: `Add an \`updates\` entry with package-ecosystem: ${dependabotNames[item.ecosystem][0]} for the folders holding its manifests.`,
          }),
        ),
      );
    }
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
    for (const config of renovate) {
      evidence.push({ kind: 'file', path: config.path, line: config.line, note: 'Renovate configuration' });
    }
    if (evidence.length > 0) {
      const tools = [dependabotWorks ? 'Dependabot' : '', renovate.length > 0 ? 'Renovate' : ''].filter(
        Boolean,
      );
      return passed(this.id, `dependency updates configured (${tools.join(', ')})`, evidence);
    }

    const unreadRenovate = facts.renovate.filter((config) => config.problem === 'unreadable');
    if (unreadRenovate.length > 0) {
      const paths = unreadRenovate.map((config) => config.path).join(', ');
      return unknown(
        this.id,
        `${paths} could not be read`,
        `Make ${paths} a readable UTF-8 file (see the problems list) and run again.`,
      );
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
      const invalid = config.problem === 'invalid';
      findings.push(
        findingOf(
          this,
          invalid
            ? `${config.path}: not a JSON object, so Renovate refuses the configuration.`
            : `${config.path}: Renovate is disabled ("enabled": false).`,
          {
            location: { path: config.path, line: config.line },
            key: invalid ? 'renovate-invalid' : 'renovate-disabled',
          },
        ),
      );
      evidence.push({
        kind: 'file',
        path: config.path,
        line: config.line,
        note: invalid ? 'Renovate configuration not valid' : 'Renovate disabled',
      });
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
