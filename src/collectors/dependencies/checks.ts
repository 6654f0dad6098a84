import {
  hostAllowed,
  type ModificationKind,
  publicRegistryHosts,
  type RegistryEcosystem,
} from '../../ecosystems/index.js';
import { milestoneStatus } from '../../end-of-life/index.js';
import type { Evidence, Finding } from '../../kernel/index.js';
import { failed, findingOf, notApplicable, passed, unknown, unlockedDependencies } from '../results.js';
import type { Check } from '../types.js';
import type { DependenciesFacts } from './collect.js';

export const dependenciesSupported: Check<DependenciesFacts> = {
  id: 'dependencies/supported',
  title: 'Frameworks are within support and no dependency is flagged malicious or unmaintained',
  severity: 'medium',
  remediation:
    'Upgrade each framework named to a supported release cycle, and remove or replace packages flagged malicious or unmaintained.',
  evaluate(facts, policy, context) {
    const unlocked = unlockedDependencies(this, facts.unlocked, 'whether they are supported cannot be known');
    if (unlocked) return unlocked;
    if (facts.packages === 0) return notApplicable(this.id, 'no locked dependencies');
    const findings: Finding[] = [];
    const evidence: Evidence[] = [];
    for (const framework of facts.frameworks) {
      const location = { path: framework.location.path, line: framework.location.line };
      evidence.push({ kind: 'file', ...location, note: `${framework.title} ${framework.version}` });
      if (framework.cycle === undefined) continue;
      const status = milestoneStatus(framework.eol, context.now, policy.thresholds.endOfLifeWarningDays);
      const day = typeof framework.eol === 'string' ? `on ${framework.eol}` : '(the day is not published)';
      if (status === 'end-of-life') {
        findings.push(
          findingOf(
            this,
            `${framework.title} ${framework.cycle} (${framework.package} ${framework.version}) reached end of life ${day}.`,
            {
              location,
              key: `${framework.product}:${framework.cycle}`,
              severity: 'high',
            },
          ),
        );
      } else if (status === 'ending-soon') {
        findings.push(
          findingOf(this, `${framework.title} ${framework.cycle} reaches end of life ${day}.`, {
            location,
            key: `${framework.product}:${framework.cycle}:soon`,
            severity: 'low',
          }),
        );
      }
    }
    for (const item of facts.flagged) {
      findings.push(
        findingOf(this, `${item.name}@${item.version} is flagged ${item.kind} by ${item.id}.`, {
          location: item.location,
          key: `${item.kind}:${item.name}@${item.version}`,
          severity: item.kind === 'malicious' ? 'critical' : 'medium',
        }),
      );
    }
    const ended = findings.filter((finding) => finding.severity !== 'low');
    if (ended.length > 0)
      return failed(
        this.id,
        `${ended.length} unsupported, malicious or unmaintained dependenc${ended.length === 1 ? 'y' : 'ies'}`,
        evidence,
        findings,
      );
    if (facts.database.status !== 'present') {
      if (facts.frameworks.length === 0) {
        return unknown(
          this.id,
          'no framework with a known support period is used, and without advisory data unmaintained packages cannot be seen',
          'Run `shipguard advisories sync` so packages flagged unmaintained or malicious can be found.',
        );
      }
      return passed(
        this.id,
        `${facts.frameworks.map((item) => `${item.title} ${item.cycle ?? item.version}`).join(', ')} within support (advisory flags not checked: no data)`,
        evidence,
      );
    }
    evidence.push(
      ...facts.database.sources.map((source) => ({ kind: 'record' as const, source: source.source })),
    );
    const result = passed(
      this.id,
      `${facts.frameworks.length} framework(s) within support; no package flagged malicious or unmaintained`,
      evidence,
    );
    return findings.length > 0 ? { ...result, findings } : result;
  },
};

export const dependenciesTrustedRegistries: Check<DependenciesFacts> = {
  id: 'dependencies/trusted-registries',
  title: 'Packages and base images come only from trusted registries',
  severity: 'high',
  remediation:
    "Fetch the package or image through a registry the organisation approved, or add that registry's host to `supplyChain.trustedRegistries` in shipguard.yaml once it is approved.",
  evaluate(facts, policy) {
    const { registries } = facts;
    const settings = policy.supplyChain;
    const allowedFor = (ecosystem: RegistryEcosystem) => [
      ...(settings.publicRegistries ? publicRegistryHosts(ecosystem) : []),
      ...settings.trustedRegistries,
    ];
    const untrusted = registries.sources.filter(
      (source) => !hostAllowed(source.host, allowedFor(source.ecosystem)),
    );
    const evidence: Evidence[] = registries.sources.slice(0, 50).map((source) => ({
      kind: 'file',
      path: source.path,
      line: source.line,
      note: `${source.declaredBy}: ${source.host}${source.occurrences > 1 ? ` (${source.occurrences} lines)` : ''}`,
    }));
    if (untrusted.length > 0) {
      return failed(
        this.id,
        `${untrusted.length} source(s) in ${new Set(untrusted.map((source) => source.path)).size} file(s) fetch from a host not on the allow-list`,
        evidence,
        untrusted
          .slice(0, 100)
          .map((source) =>
            findingOf(
              this,
              `${source.path}:${source.line} fetches ${source.ecosystem === 'container' ? 'images' : 'packages'} from ${source.host} (${source.declaredBy}), which is not a trusted registry.`,
              { location: { path: source.path, line: source.line }, key: `${source.host}` },
            ),
          ),
      );
    }
    const unlocked = unlockedDependencies(
      this,
      facts.unlocked,
      'where their packages come from cannot be known',
    );
    if (unlocked) return unlocked;
    const unread = [
      ...registries.unreadable.map((path) => `${path} (not read whole)`),
      ...registries.unresolved.map((item) => `${item.path}:${item.line} ${item.reason}`),
    ];
    if (unread.length > 0) {
      return unknown(
        this.id,
        `every host read is trusted, but ${unread.length} source(s) could not be judged: ${unread.slice(0, 5).join('; ')}`,
        'Write registry URLs literally (not through variables) in the repository, or keep files within the read limits, and assess again.',
      );
    }
    if (registries.sources.length === 0) {
      if (registries.files.length === 0 && facts.locked.length === 0) {
        return notApplicable(this.id, 'no dependencies, registry configuration, lockfile or Dockerfile');
      }
      return unknown(
        this.id,
        `${registries.files.join(', ')} name${registries.files.length === 1 ? 's' : ''} no registry host (a lockfile without resolved URLs) and the repository commits no registry configuration, so packages come from whatever registry the installing machine configures`,
        'Commit the registry configuration (an .npmrc `registry=` line, pip.conf `index-url`, Maven settings) so the repository itself names the registry, or a lockfile that records resolved URLs, and assess again.',
      );
    }
    const hosts = [...new Set(registries.sources.map((source) => source.host))].sort();
    return passed(
      this.id,
      `${registries.sources.length} source(s) in ${registries.files.length} file(s) fetch only from trusted registries: ${hosts.slice(0, 10).join(', ')}`,
      evidence,
    );
  },
};

const modificationWords: Record<ModificationKind, string> = {
  'patch-package': 'is patched by a patch-package file',
  'pnpm-patch': 'is patched through pnpm patchedDependencies',
  'yarn-patch': "is patched through Yarn's patch: protocol",
  vendored: 'is a vendored copy',
};

export const dependenciesUnmodified: Check<DependenciesFacts> = {
  id: 'dependencies/unmodified',
  title: 'Third-party packages are used as published',
  severity: 'medium',
  remediation:
    'Drop the patch once upstream has the fix, or keep it with its reason, licence check and review recorded and an exception in shipguard.yaml naming it until the next upgrade.',
  evaluate(facts) {
    const { modified } = facts;
    if (modified.patched.length > 0) {
      return failed(
        this.id,
        `${modified.patched.length} third-party package(s) are installed with local patches`,
        modified.patched.slice(0, 50).map((item) => ({
          kind: 'file',
          path: item.path,
          line: item.line,
          note: `${item.name} ${modificationWords[item.kind]}`,
        })),
        modified.patched.slice(0, 100).map((item) =>
          findingOf(this, `${item.name} ${modificationWords[item.kind]} (${item.path}:${item.line}).`, {
            location: { path: item.path, line: item.line },
            key: `${item.kind}\0${item.name}`,
          }),
        ),
      );
    }
    if (modified.vendored.length > 0) {
      return unknown(
        this.id,
        `no patched dependency, but ${modified.vendored.length} vendored cop${modified.vendored.length === 1 ? 'y' : 'ies'} no lockfile integrity covers: ${modified.vendored
          .slice(0, 5)
          .map((item) => item.name)
          .join(', ')}`,
        'Replace each vendored copy with a locked dependency, or record its origin, version and any change (an attestation for DEV-05) so it can be compared with the published package.',
      );
    }
    if (modified.unreadable.length > 0) {
      return unknown(
        this.id,
        `no patch found, but ${modified.unreadable.slice(0, 5).join(', ')} could not be read whole`,
        'Keep package manifests within the read limit and assess again.',
      );
    }
    if (facts.unlocked.length > 0) {
      return unknown(
        this.id,
        `no patch found, but ${facts.unlocked.length} manifest(s) have no lockfile, so what is installed cannot be compared`,
        'Commit the lockfile your package manager writes beside each manifest and assess again.',
      );
    }
    if (facts.locked.length === 0) return notApplicable(this.id, 'no third-party dependencies are declared');
    return passed(
      this.id,
      `no patch-package or pnpm patch file, patch: protocol or vendored copy; ${facts.locked.length} manifest(s) locked`,
      facts.locked
        .slice(0, 20)
        .map((path) => ({ kind: 'file', path, note: 'dependencies fixed by a lockfile, none patched' })),
    );
  },
};
