import { escapeForTerminal, toolVersion } from '../kernel/index.js';
import type { AdvisoryDatabaseState } from './database-access.js';
import type { EndOfLifeComponent } from './end-of-life.js';
import type { VulnerabilityFinding } from './findings.js';
import type { PatchLatency } from './patch-latency.js';
import type { UnmatchedVexStatement } from './vex.js';

export interface VulnsReport {
  subject: string;
  packages: number;
  database: AdvisoryDatabaseState;
  /** True when the data is older than the policy allows (or missing): findings may be incomplete. */
  stale: boolean;
  maxAgeDays: number;
  findings: VulnerabilityFinding[];
  /** With --patch-latency: remediations found in the lockfiles' history. */
  patchLatency?: PatchLatency;
  /** Components whose release cycle is past its end of life (from the bundled end-of-life dataset). */
  endOfLife?: EndOfLifeComponent[];
  /** VEX statements that covered no finding (a wrong id or purl, or a vulnerability not present). */
  vexUnmatched?: UnmatchedVexStatement[];
}

/** End-of-life components and unmatched VEX statements listed in the table; the JSON report holds them all. */
const listedInTable = 20;

/** Flagged packages say so first on their line; plain vulnerabilities need no label. */
const kindLabels: Record<VulnerabilityFinding['kind'], string> = {
  vulnerability: '',
  malicious: 'MALICIOUS PACKAGE ',
  unmaintained: 'UNMAINTAINED ',
};

/** What to do: upgrade a vulnerable package; never "upgrade" away from malicious code, remove it. */
function nextStep(finding: VulnerabilityFinding): string {
  if (finding.kind === 'malicious') {
    return `remove ${finding.package.name} now, and treat machines that installed it as compromised (rotate the credentials they held)`;
  }
  if (finding.kind === 'unmaintained') {
    return `replace ${finding.package.name} with a maintained alternative: it will get no security fixes`;
  }
  return `upgrade to: ${finding.smallestFix ?? 'no fixed version known'}`;
}

export function renderVulnsJson(report: VulnsReport): string {
  return `${JSON.stringify({ schemaVersion: 1, ...report }, null, 2)}\n`;
}

export function renderVulnsTable(report: VulnsReport): string {
  const lines: string[] = [];
  if (report.database.status !== 'present') {
    lines.push(`No advisory data (${report.database.status}); run \`shipguard advisories sync\` first.`);
  } else if (report.stale) {
    lines.push(
      `warning: advisory data is ${report.database.ageDays ?? '?'} days old (policy allows ${report.maxAgeDays}); run \`shipguard advisories sync\`.`,
    );
  }
  const active = report.findings.filter((finding) => finding.vex?.status !== 'not_affected');
  const flagged = (kind: VulnerabilityFinding['kind']) =>
    active.filter((finding) => finding.kind === kind).length;
  const flags = [
    ...(flagged('malicious') > 0 ? [`${flagged('malicious')} malicious`] : []),
    ...(flagged('unmaintained') > 0 ? [`${flagged('unmaintained')} unmaintained`] : []),
  ];
  lines.push(
    `${report.packages} packages checked in ${report.subject}: ${flagged('vulnerability')} vulnerable, ${flags.map((text) => `${text}, `).join('')}${report.findings.length - active.length} not affected per VEX.`,
  );
  for (const finding of report.findings) {
    const where = finding.package.location
      ? ` (${finding.package.location.path}${finding.package.location.line ? `:${finding.package.location.line}` : ''})`
      : '';
    lines.push('');
    lines.push(
      `${finding.severity.toUpperCase().padEnd(8)} ${kindLabels[finding.kind]}${finding.package.name}@${finding.package.version} ${finding.id}${finding.aliases.length > 0 ? ` (${finding.aliases.join(', ')})` : ''}${where}`,
    );
    if (finding.summary) lines.push(`         ${finding.summary.replace(/\s+/g, ' ').slice(0, 160)}`);
    lines.push(
      `         affected ${finding.affectedRanges.join(' | ') || '?'}; fixed in ${finding.fixedVersions.join(', ') || 'no release yet'}`,
    );
    lines.push(`         ${nextStep(finding)}`);
    if (finding.daysOpen !== undefined) {
      lines.push(
        `         published ${finding.daysOpen} days ago; SLA ${finding.slaDays} days${finding.overdue ? ' — OVERDUE' : ''}`,
      );
    }
    if (finding.vex) {
      lines.push(
        `         VEX: ${finding.vex.status}${finding.vex.justification ? ` (${finding.vex.justification})` : ''}${finding.vex.detail ? `: ${finding.vex.detail}` : ''} [${finding.vex.source}]`,
      );
    }
  }
  if (report.endOfLife && report.endOfLife.length > 0) {
    lines.push('');
    lines.push(`${report.endOfLife.length} component(s) past end of life:`);
    for (const item of report.endOfLife.slice(0, listedInTable)) {
      const ended = typeof item.eol === 'string' ? `ended ${item.eol}` : 'ended';
      const extended = item.extendedUntil ? `; extended support until ${item.extendedUntil}` : '';
      lines.push(`  ${item.name}@${item.version}: ${item.title} ${item.cycle} ${ended}${extended}`);
    }
    if (report.endOfLife.length > listedInTable)
      lines.push(`  … and ${report.endOfLife.length - listedInTable} more (see --format json)`);
  }
  if (report.vexUnmatched && report.vexUnmatched.length > 0) {
    const unmatched = report.vexUnmatched;
    lines.push('');
    lines.push(`warning: ${unmatched.length} VEX statement(s) matched no finding:`);
    for (const item of unmatched.slice(0, listedInTable)) {
      const products =
        item.products.length > 0
          ? ` for ${item.products.slice(0, 3).join(', ')}${item.products.length > 3 ? ', …' : ''}`
          : '';
      lines.push(`  ${item.vulnerabilities.join(' / ')} ${item.status}${products} [${item.source}]`);
    }
    if (unmatched.length > listedInTable)
      lines.push(`  … and ${unmatched.length - listedInTable} more (see --format json)`);
  }
  if (report.patchLatency) {
    const latency = report.patchLatency;
    lines.push('');
    lines.push(
      latency.remediations.length === 0
        ? `Patch latency: no advisory remediated in ${latency.commitsRead} lockfile commits read.`
        : `Patch latency: ${latency.remediations.length} advisories remediated, median ${latency.medianDays} days, ${Math.round((latency.withinSlaShare ?? 0) * 100)}% within SLA.`,
    );
    for (const item of latency.remediations) {
      lines.push(
        `  ${item.name} ${item.vulnerableVersion} -> ${item.remediated.version ?? '(removed)'} ${item.id}: ${item.days} days (SLA ${item.slaDays}) at ${item.remediated.commit.slice(0, 12)}`,
      );
    }
  }
  // Every line may quote repository text: escaped so it cannot forge a line or move the cursor.
  return `${lines.map(escapeForTerminal).join('\n')}\n`;
}

const sarifLevels: Record<string, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  unknown: 'warning',
};

/** SARIF 2.1.0: one rule per advisory, one result per vulnerable package; VEX'd ones carry a suppression. */
export function renderVulnsSarif(report: VulnsReport): string {
  const rules = new Map<string, Record<string, unknown>>();
  for (const finding of report.findings) {
    if (rules.has(finding.id)) continue;
    rules.set(finding.id, {
      id: finding.id,
      shortDescription: { text: finding.summary?.slice(0, 200) ?? finding.id },
      help: {
        text: `Aliases: ${finding.aliases.join(', ') || 'none'}. Fixed in: ${finding.fixedVersions.join(', ') || 'no release yet'}.`,
      },
      properties: {
        tags: ['security', finding.kind],
        'security-severity': String(
          finding.score ?? { critical: 9.5, high: 8, medium: 5.5, low: 2, unknown: 5 }[finding.severity],
        ),
      },
    });
  }
  const results = report.findings.map((finding) => {
    const result: Record<string, unknown> = {
      ruleId: finding.id,
      level: sarifLevels[finding.severity],
      message: {
        text:
          finding.kind === 'vulnerability'
            ? `${finding.package.name}@${finding.package.version} is affected by ${finding.id}; upgrade to ${finding.smallestFix ?? 'a fixed version when one exists'}.`
            : `${finding.package.name}@${finding.package.version} is flagged ${finding.kind} by ${finding.id}; ${nextStep(finding)}.`,
      },
      partialFingerprints: { shipguardFingerprint: finding.fingerprint },
    };
    if (finding.package.location) {
      result['locations'] = [
        {
          physicalLocation: {
            artifactLocation: { uri: finding.package.location.path },
            ...(finding.package.location.line
              ? { region: { startLine: finding.package.location.line } }
              : {}),
          },
        },
      ];
    }
    if (finding.vex?.status === 'not_affected') {
      result['suppressions'] = [
        {
          kind: 'external',
          justification: `${finding.vex.justification ?? 'not_affected'}${finding.vex.detail ? `: ${finding.vex.detail}` : ''}`,
        },
      ];
    }
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      { tool: { driver: { name: 'shipguard', version: toolVersion, rules: [...rules.values()] } }, results },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
