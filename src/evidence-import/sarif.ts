import type { FindingSeverity, ParsedEvidence } from './model.js';
import {
  arrayField,
  cleanText,
  cwesIn,
  FindingTally,
  isObject,
  isoTime,
  malformed,
  objectField,
  stringField,
} from './parse-support.js';

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
  if (!isObject(document)) throw malformed(fileName, 'a SARIF log is a JSON object');
  if (stringField(document, 'version') !== '2.1.0') {
    throw malformed(
      fileName,
      `SARIF version ${cleanText(String(document['version'] ?? 'missing'), 20)} is not 2.1.0`,
    );
  }
  const runs = arrayField(document, 'runs');
  if (!Array.isArray(document['runs'])) throw malformed(fileName, 'a SARIF log has a runs array');
  const tally = new FindingTally();
  const tools = new Set<string>();
  const commits = new Set<string>();
  let startedAt: string | undefined;
  let complete = true;
  let suppressed = 0;
  for (const run of runs) {
    const driver = objectField(objectField(run, 'tool'), 'driver');
    const name = stringField(driver, 'name');
    if (name === undefined) throw malformed(fileName, 'a SARIF run names its tool (tool.driver.name)');
    tools.add(cleanText(name, 100));
    for (const provenance of arrayField(run, 'versionControlProvenance')) {
      const revision = stringField(provenance, 'revisionId');
      if (revision !== undefined && /^[0-9a-f]{7,64}$/i.test(revision)) commits.add(revision.toLowerCase());
    }
    for (const invocation of arrayField(run, 'invocations')) {
      const start = isoTime(stringField(invocation, 'startTimeUtc') ?? stringField(invocation, 'endTimeUtc'));
      if (start !== undefined && (startedAt === undefined || start < startedAt)) startedAt = start;
      if (isObject(invocation) && invocation['executionSuccessful'] === false) complete = false;
    }
    // Rules live in the driver, or in extensions (CodeQL query packs), which results name by
    // `rule.toolComponent.index`.
    const rules = rulesOf(driver);
    const extensionRules = arrayField(objectField(run, 'tool'), 'extensions').map((extension) =>
      rulesOf(isObject(extension) ? extension : undefined),
    );
    for (const extension of extensionRules) {
      for (const [id, info] of extension.byId) if (!rules.byId.has(id)) rules.byId.set(id, info);
    }
    for (const result of arrayField(run, 'results')) {
      if (!isObject(result)) continue;
      const kind = stringField(result, 'kind') ?? 'fail';
      if (kind !== 'fail') continue;
      if (stringField(result, 'baselineState') === 'absent') continue;
      if (isSuppressed(result)) {
        suppressed += 1;
        continue;
      }
      const ruleId = stringField(result, 'ruleId') ?? stringField(objectField(result, 'rule'), 'id');
      const reference = objectField(result, 'rule');
      const ruleIndex = result['ruleIndex'] ?? reference?.['index'];
      const component = objectField(reference, 'toolComponent')?.['index'];
      const indexed = typeof component === 'number' ? extensionRules[component] : rules;
      const rule =
        (typeof ruleIndex === 'number' ? indexed?.byIndex[ruleIndex] : undefined) ??
        (ruleId === undefined ? undefined : rules.byId.get(ruleId));
      const level = stringField(result, 'level') ?? rule?.level ?? 'warning';
      const severity = severityOfLevel[level];
      if (severity === undefined) continue;
      const tags = arrayField(objectField(result, 'properties'), 'tags').filter(
        (tag): tag is string => typeof tag === 'string',
      );
      tally.add(ruleId ?? 'unnamed rule', severity, [...(rule?.cwes ?? []), ...cwesIn(tags)]);
    }
  }
  if (commits.size > 1) {
    throw malformed(fileName, `its runs name ${commits.size} different commits; import one file per commit`);
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
  for (const rule of arrayField(driver, 'rules')) {
    const tags = arrayField(objectField(rule, 'properties'), 'tags').filter(
      (tag): tag is string => typeof tag === 'string',
    );
    const related = arrayField(rule, 'relationships').flatMap((relationship) => {
      const target = objectField(relationship, 'target');
      const component = stringField(objectField(target, 'toolComponent'), 'name') ?? '';
      const id = stringField(target, 'id');
      return id !== undefined && /cwe/i.test(component) ? [`CWE-${id}`] : [];
    });
    const info: RuleInfo = { cwes: cwesIn([...tags, ...related]) };
    const level = stringField(objectField(rule, 'defaultConfiguration'), 'level');
    if (level !== undefined) info.level = level;
    byIndex.push(info);
    const id = stringField(rule, 'id');
    if (id !== undefined) byId.set(id, info);
  }
  return { byIndex, byId };
}

/** Suppressed when some suppression is accepted (a suppression without a status is accepted). */
function isSuppressed(result: Record<string, unknown>): boolean {
  return arrayField(result, 'suppressions').some((suppression) => {
    const status = stringField(suppression, 'status');
    return status === undefined || status === 'accepted';
  });
}
