import type { FindingSeverity, ParsedEvidence } from './model.js';
import * as support from './parse-support.js';

/** SARIF levels to the shared severities; `none` is not a finding. */
const severityOfLevel: Readonly<Record<string, FindingSeverity | undefined>> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: undefined,
};

interface RuleInfo {
  level?: string;
  cwes: number[];
}

/**
 * SARIF 2.1.0 (CodeQL, Semgrep, and every tool that writes it): the tools, when and on which
 * commit they ran (`invocations[].startTimeUtc`, `versionControlProvenance[].revisionId`), and the
 * results by level. A result's level is its own, else its rule's default, else `warning` (the
 * specification's default). Results whose `kind` is not `fail`, that are suppressed (a suppression
 * not rejected), or whose baseline state is `absent` are not counted as findings.
 */
export function parseSarif(fileName: string, document: unknown): ParsedEvidence {
  if (!support.isObject(document)) throw support.malformed(fileName, 'a SARIF log is a JSON object');
  if (support.stringField(document, 'version') !== '2.1.0') {
    throw support.malformed(
      fileName,
      `SARIF version ${support.cleanText(String(document['version'] ?? 'missing'), 20)} is not 2.1.0`,
    );
  }
  const runs = support.arrayField(document, 'runs');
  if (!Array.isArray(document['runs'])) throw support.malformed(fileName, 'a SARIF log has a runs array');
  const tally = new support.FindingTally();
  const tools = new Set<string>();
  const commits = new Set<string>();
  let startedAt: string | undefined;
  let complete = true;
  let suppressed = 0;
  for (const run of runs) {
    const driver = support.objectField(support.objectField(run, 'tool'), 'driver');
    const name = support.stringField(driver, 'name');
    if (name === undefined)
      throw support.malformed(fileName, 'a SARIF run names its tool (tool.driver.name)');
    tools.add(support.cleanText(name, 100));
    for (const provenance of support.arrayField(run, 'versionControlProvenance')) {
      const revision = support.stringField(provenance, 'revisionId');
      if (revision !== undefined && /^[0-9a-f]{7,64}$/i.test(revision)) commits.add(revision.toLowerCase());
    }
    for (const invocation of support.arrayField(run, 'invocations')) {
      const start = support.isoTime(
        support.stringField(invocation, 'startTimeUtc') ?? support.stringField(invocation, 'endTimeUtc'),
      );
      if (start !== undefined && (startedAt === undefined || start < startedAt)) startedAt = start;
      if (support.isObject(invocation) && invocation['executionSuccessful'] === false) complete = false;
    }
    // Rules live in the driver, or in extensions (CodeQL query packs), which results name by
    // `rule.toolComponent.index`.
    const rules = rulesOf(driver);
    const extensionRules = support
      .arrayField(support.objectField(run, 'tool'), 'extensions')
      .map((extension) => rulesOf(support.isObject(extension) ? extension : undefined));
    for (const extension of extensionRules) {
      for (const [id, info] of extension.byId) if (!rules.byId.has(id)) rules.byId.set(id, info);
    }
    for (const result of support.arrayField(run, 'results')) {
      if (!support.isObject(result)) continue;
      const kind = support.stringField(result, 'kind') ?? 'fail';
      if (kind !== 'fail') continue;
      if (support.stringField(result, 'baselineState') === 'absent') continue;
      if (isSuppressed(result)) {
        suppressed += 1;
        continue;
      }
      const ruleId =
        support.stringField(result, 'ruleId') ??
        support.stringField(support.objectField(result, 'rule'), 'id');
      const reference = support.objectField(result, 'rule');
      const ruleIndex = result['ruleIndex'] ?? reference?.['index'];
      const component = support.objectField(reference, 'toolComponent')?.['index'];
      const indexed = typeof component === 'number' ? extensionRules[component] : rules;
      const rule =
        (typeof ruleIndex === 'number' ? indexed?.byIndex[ruleIndex] : undefined) ??
        (ruleId === undefined ? undefined : rules.byId.get(ruleId));
      const level = support.stringField(result, 'level') ?? rule?.level ?? 'warning';
      const severity = severityOfLevel[level];
      if (severity === undefined) continue;
      const tags = support
        .arrayField(support.objectField(result, 'properties'), 'tags')
        .filter((tag): tag is string => typeof tag === 'string');
      tally.add(ruleId ?? 'unnamed rule', severity, [...(rule?.cwes ?? []), ...support.cwesIn(tags)]);
    }
  }
  if (commits.size > 1) {
    throw support.malformed(
      fileName,
      `its runs name ${commits.size} different commits; import one file per commit`,
    );
  }
  const parsed: ParsedEvidence = {
    format: 'sarif',
    tool: [...tools].join(', ') || 'unnamed SARIF tool',
    summary: {
      kind: 'static-analysis',
      findings: tally.findings,
      suppressed,
      complete,
      samples: tally.samples(),
      weaknesses: tally.weaknesses(),
    },
  };
  const [commit] = commits;
  if (commit !== undefined) parsed.commit = commit;
  if (startedAt !== undefined) parsed.ranAt = startedAt;
  return parsed;
}

function rulesOf(driver: Record<string, unknown> | undefined): {
  byIndex: RuleInfo[];
  byId: Map<string, RuleInfo>;
} {
  const byIndex: RuleInfo[] = [];
  const byId = new Map<string, RuleInfo>();
  for (const rule of support.arrayField(driver, 'rules')) {
    const tags = support
      .arrayField(support.objectField(rule, 'properties'), 'tags')
      .filter((tag): tag is string => typeof tag === 'string');
    const related = support.arrayField(rule, 'relationships').flatMap((relationship) => {
      const target = support.objectField(relationship, 'target');
      const component = support.stringField(support.objectField(target, 'toolComponent'), 'name') ?? '';
      const id = support.stringField(target, 'id');
      return id !== undefined && /cwe/i.test(component) ? [`CWE-${id}`] : [];
    });
    const info: RuleInfo = { cwes: support.cwesIn([...tags, ...related]) };
    const level = support.stringField(support.objectField(rule, 'defaultConfiguration'), 'level');
    if (level !== undefined) info.level = level;
    byIndex.push(info);
    const id = support.stringField(rule, 'id');
    if (id !== undefined) byId.set(id, info);
  }
  return { byIndex, byId };
}

/** Suppressed when some suppression is accepted (a suppression without a status is accepted). */
function isSuppressed(result: Record<string, unknown>): boolean {
  return support.arrayField(result, 'suppressions').some((suppression) => {
    const status = support.stringField(suppression, 'status');
    return status === undefined || status === 'accepted';
  });
}
