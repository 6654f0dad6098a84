/**
 * The gate's I/O: reads every fact `decide` needs from the artefact, the attestation, the
 * repository, the store and the calendars, then records the decision in the ledger.
 *
 * Fail secure: every fact that cannot be had becomes `{ ok: false, error }` (an `error` outcome,
 * so a deny with exit 3), and a decision that cannot be ledgered is a deny with exit 3.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { AdvisoryIndex, advisoryStatus, loadAdvisoriesFor } from '../advisories/index.js';
import { getChange, saveDecisionRow } from '../changes/index.js';
import { scanRepository } from '../ecosystems/index.js';
import { isExpired } from '../engine/index.js';
import { RepositorySnapshot, runGit, runGitText, severityRank } from '../kernel/index.js';
import { appendToLedger, canonicalBytes, type LedgerEvent } from '../ledger/index.js';
import type { GateEnvironment, LoadedPolicy } from '../policy/index.js';
import {
  type Envelope,
  inTotoPayloadType,
  loadVerifier,
  ProvenanceError,
  parseEnvelope,
  parseSlsaPredicate,
  parseStatement,
  type Verifier,
  verifyAttestation,
  verifyEnvelope,
} from '../provenance/index.js';
import { readSbomPackages } from '../sbom/index.js';
import {
  compileRuleSet,
  createScanPool,
  filterMatches,
  isPathAllowed,
  loadRuleSet,
  maxFileBytes,
  pathOnlyFindings,
  readBlobs,
  readGitleaksIgnore,
  toFinding,
} from '../secrets/index.js';
import type { Change } from '../source-control/index.js';
import {
  classifyChange,
  describePerson,
  findRequestReference,
  parseCommit,
  parseTrailers,
  resolveDefaultBranch,
} from '../source-control/index.js';
import type { Store } from '../store/index.js';
import { type CheckedPackage, findVulnerabilities, parseVex } from '../vulns/index.js';
import { type CalendarOccurrence, checkTimeZone, parseCalendar } from './calendar.js';
import {
  type AssessmentFact,
  type CalendarFact,
  decide,
  type Fact,
  type GateDecision,
  type GateInputs,
  type ProvenanceFact,
  type SecretFact,
  type SourceFact,
  type VulnerabilityFact,
} from './decide.js';

export interface GateRunOptions {
  /** Absolute path of the repository root. */
  repositoryRoot: string;
  /** A file, or `sha256:<64 hex>`. */
  artifact: string;
  environment: string;
  attestation?: string;
  /** PEM public keys given on the command line, besides the environment's trustedKeys. */
  keys: readonly string[];
  change?: string;
  sbom?: string;
  vex: readonly string[];
  at: Date;
  deployer: string;
  policy: LoadedPolicy;
}

/** What the run depends on, replaceable in tests to inject faults. */
export interface GateDependencies {
  openStore(): Promise<Store>;
  append(store: Store, event: LedgerEvent): Promise<{ firstIndex: number }>;
}

export interface GateRun {
  decision: GateDecision;
  decisionId: string;
  /** sha256 of each fact's canonical JSON, as ledgered. */
  inputDigests: Record<string, string>;
  ledgerIndex?: number;
  /** Set when the decision could not be ledgered (it is then a deny). */
  ledgerError?: string;
  exitCode: 0 | 1 | 3;
}

const digestPattern = /^sha256:([0-9a-f]{64})$/;

function failed<T>(error: unknown): Fact<T> {
  const text = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? ` [${String(error.code)}]` : '';
  return { ok: false, error: `${text.slice(0, 500)}${code}` };
}

async function attempt<T>(read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return failed(error);
  }
}

function pathIn(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

/** The environment's settings from the policy; an environment not configured gets the defaults. */
export function environmentSettings(policy: LoadedPolicy, name: string): GateEnvironment {
  const configured = policy.policy.gate.environments[name];
  if (configured) return configured;
  return {
    timeZone: 'UTC',
    holidayCalendars: [],
    leaveCalendars: [],
    vulnerabilityThreshold: 'high',
    trustedKeys: [],
  };
}

/** Who runs the gate: --deployer, else the CI's actor, else the OS user. */
export function resolveDeployer(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  osUser: () => string,
): string {
  for (const candidate of [given, env['GITHUB_ACTOR'], env['GITLAB_USER_LOGIN']]) {
    if (candidate !== undefined && candidate.trim() !== '') return candidate.trim().slice(0, 200);
  }
  return osUser();
}

/** Gathers the facts, decides, ledgers. Never throws for a fact; throws only for programming errors. */
export async function runGate(options: GateRunOptions, dependencies: GateDependencies): Promise<GateRun> {
  const settings = environmentSettings(options.policy, options.environment);
  const artifact = await attempt(() => readArtifact(options.artifact));
  const store = await attempt(() => dependencies.openStore());
  try {
    const inputs = await gatherInputs(options, settings, artifact, store);
    const decision = decide(inputs);
    const decisionId = randomUUID();
    const inputDigests = digestInputs(inputs, options);
    // The commit the verified provenance names: recorded as a field so that separation-of-duties
    // and traceability checks read it directly rather than from a rule's sentence.
    const sourceCommit = inputs.source.ok ? inputs.source.value.commit : null;
    const run: GateRun = { decision, decisionId, inputDigests, exitCode: exitCodeOf(decision) };
    if (!store.ok) {
      return denyUnrecorded(run, `the store could not be opened: ${store.error}`);
    }
    try {
      const appended = await dependencies.append(store.value, {
        type: 'gate.decided',
        data: {
          decisionId,
          environment: decision.environment,
          artifact: artifact.ok ? `sha256:${artifact.value.sha256}` : 'unreadable',
          result: decision.result,
          at: decision.at,
          deployer: decision.deployer,
          sourceCommit,
          change: options.change ?? null,
          inputs: inputDigests,
          rules: decision.rules.map((rule) => ({ ...rule })),
          overrides: decision.overrides.map((override) => ({ ...override })),
        },
      });
      run.ledgerIndex = appended.firstIndex;
      await saveDecisionRow(store.value, {
        id: decisionId,
        environment: decision.environment,
        artifact: artifact.ok ? `sha256:${artifact.value.sha256}` : 'unreadable',
        result: decision.result,
        decidedAt: decision.at,
        ledgerIndex: appended.firstIndex,
        document: { ...decision, sourceCommit, inputs: inputDigests },
      });
    } catch (error) {
      return denyUnrecorded(run, `the decision could not be written to the ledger: ${failedText(error)}`);
    }
    return run;
  } finally {
    if (store.ok) await store.value.close().catch(() => {});
  }
}

function failedText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
}

function denyUnrecorded(run: GateRun, reason: string): GateRun {
  return { ...run, decision: { ...run.decision, result: 'deny' }, ledgerError: reason, exitCode: 3 };
}

function exitCodeOf(decision: GateDecision): 0 | 1 | 3 {
  if (decision.result === 'allow') return 0;
  return decision.rules.some((rule) => rule.outcome === 'error') ? 3 : 1;
}

function digestInputs(inputs: GateInputs, options: GateRunOptions): Record<string, string> {
  const digest = (value: unknown) =>
    `sha256:${createHash('sha256')
      .update(canonicalBytes(JSON.parse(JSON.stringify(value ?? null))))
      .digest('hex')}`;
  return {
    artifact: `sha256:${inputs.artifact.sha256}`,
    provenance: digest(inputs.provenance),
    source: digest(inputs.source),
    secrets: digest(inputs.secrets),
    vulnerabilities: digest(inputs.vulnerabilities),
    sbom: digest(inputs.sbom),
    assessment: digest(inputs.assessment),
    change: digest(inputs.change),
    calendar: digest(inputs.calendar),
    environment: digest(inputs.environment),
    policy: digest(options.policy.policy),
  };
}

interface ArtifactFact {
  sha256: string;
  bytes?: Buffer;
}

async function readArtifact(artifact: string): Promise<ArtifactFact> {
  const match = digestPattern.exec(artifact.toLowerCase());
  if (match?.[1]) return { sha256: match[1] };
  const bytes = await readFile(artifact);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

export async function gatherInputs(
  options: GateRunOptions,
  settings: GateEnvironment,
  artifact: Fact<ArtifactFact>,
  store: Fact<Store>,
): Promise<GateInputs> {
  const root = options.repositoryRoot;
  const noStore = <T>(): Fact<T> => ({
    ok: false,
    error: store.ok ? '' : `the store is unavailable: ${store.error}`,
  });
  const provenance: Fact<(ProvenanceFact & { dependencies?: string[] }) | undefined> = artifact.ok
    ? await attempt(() => readProvenance(options, settings, artifact.value))
    : { ok: false, error: `the artefact could not be read: ${artifact.error}` };
  const commit: Fact<string> = !provenance.ok
    ? { ok: false, error: provenance.error }
    : provenance.value?.verified && provenance.value.sourceCommit
      ? { ok: true, value: provenance.value.sourceCommit }
      : { ok: false, error: 'no verified provenance names the source commit', missing: true };
  const withCommit = <T>(read: (commit: string) => Promise<T>): Promise<Fact<T>> =>
    commit.ok ? attempt(() => read(commit.value)) : Promise.resolve(commit);

  const sbomPackages: Fact<{ packages: CheckedPackage[] } | undefined> =
    options.sbom === undefined
      ? { ok: true, value: undefined }
      : await attempt(async () => {
          const path = options.sbom ?? '';
          const read = readSbomPackages(path, await readFile(path, 'utf8'));
          return { packages: read.packages.map((item) => ({ ...item, location: { path } })) };
        });

  const [source, secrets, assessment, change, calendar, vulnerabilities] = await Promise.all([
    withCommit((id) => readSource(root, id, options.policy)),
    withCommit((id) => scanCommitSecrets(root, id)),
    store.ok
      ? withCommit((id) => readAssessment(store.value, root, id, options.policy))
      : noStore<AssessmentFact | undefined>(),
    options.change === undefined
      ? Promise.resolve<Fact<undefined>>({ ok: true, value: undefined })
      : store.ok
        ? attempt(async () => {
            const found = await getChange(store.value, options.change ?? '');
            if (!found) throw new Error(`no change ${options.change} in ${store.value.location}`);
            return found;
          })
        : noStore<undefined>(),
    attempt(() => readCalendars(root, settings, options.at)),
    store.ok ? readVulnerabilities(options, store.value, sbomPackages) : noStore<VulnerabilityFact[]>(),
  ]);

  const sbom: Fact<{ present: boolean; source?: string }> = !sbomPackages.ok
    ? { ok: false, error: sbomPackages.error }
    : sbomPackages.value
      ? { ok: true, value: { present: true, source: options.sbom ?? '' } }
      : provenanceNamesSbom(provenance);

  return {
    environment: { name: options.environment, settings },
    changeSettings: options.policy.policy.gate.changes,
    at: options.at,
    deployer: options.deployer,
    artifact: { sha256: artifact.ok ? artifact.value.sha256 : 'unreadable' },
    provenance: provenance.ok ? { ok: true, value: stripDependencies(provenance.value) } : provenance,
    source,
    secrets,
    vulnerabilities,
    sbom,
    assessment,
    change,
    calendar,
  };
}

function stripDependencies(value: (ProvenanceFact & { dependencies?: string[] }) | undefined) {
  if (value === undefined) return undefined;
  const { dependencies: _dependencies, ...rest } = value;
  return rest;
}

const sbomNamePattern = /(sbom|bom|\.cdx|\.spdx)[^/]*\.json$/i;

function provenanceNamesSbom(
  provenance: Fact<(ProvenanceFact & { dependencies?: string[] }) | undefined>,
): Fact<{ present: boolean; source?: string }> {
  if (!provenance.ok) return { ok: false, error: provenance.error };
  const named = provenance.value?.verified
    ? provenance.value.dependencies?.find((name) => sbomNamePattern.test(name))
    : undefined;
  return {
    ok: true,
    value: named ? { present: true, source: `${named}, named in the provenance` } : { present: false },
  };
}

/** Verification failures a signer could cause are a `fail`; a broken input is an `error`. */
const rejectionCodes = new Set([
  'SIGNATURE_INVALID',
  'SUBJECT_DIGEST_MISMATCH',
  'BUILDER_MISMATCH',
  'SOURCE_MISMATCH',
  'BRANCH_MISMATCH',
  'PAYLOAD_TYPE_MISMATCH',
]);

async function readProvenance(
  options: GateRunOptions,
  settings: GateEnvironment,
  artifact: ArtifactFact,
): Promise<(ProvenanceFact & { dependencies?: string[] }) | undefined> {
  if (options.attestation === undefined) return undefined;
  const keyPaths = [
    ...options.keys,
    ...settings.trustedKeys.map((path) => pathIn(options.repositoryRoot, path)),
  ];
  if (keyPaths.length === 0) {
    throw new ProvenanceError(
      'KEY_INVALID',
      'no trusted key: give --key or set trustedKeys for the environment',
    );
  }
  const verifiers: Verifier[] = [];
  for (const path of keyPaths) verifiers.push(await loadVerifier(path));
  const text = await readFile(options.attestation, 'utf8');
  const envelope = parseEnvelope(text, options.attestation);
  const expected = settings.builderId === undefined ? {} : { builderId: settings.builderId };
  try {
    if (artifact.bytes) {
      const result = await verifyAttestation({ artifact: artifact.bytes, envelope, verifiers, expected });
      return verifiedFact(result.signer.keyIds, result.builderId, result.source?.commit, envelope);
    }
    return await verifyByDigest(envelope, verifiers, artifact.sha256, settings.builderId);
  } catch (error) {
    if (error instanceof ProvenanceError && rejectionCodes.has(error.code)) {
      return { verified: false, code: error.code, reason: error.message };
    }
    throw error;
  }
}

function verifiedFact(
  keyIds: string[] | undefined,
  builderId: string | undefined,
  commit: string | undefined,
  envelope: Envelope,
): ProvenanceFact & { dependencies?: string[] } {
  const fact: ProvenanceFact & { dependencies?: string[] } = { verified: true };
  if (keyIds) fact.keyIds = keyIds;
  if (builderId) fact.builderId = builderId;
  if (commit) fact.sourceCommit = commit;
  fact.dependencies = dependencyNames(Buffer.from(envelope.payload, 'base64'));
  return fact;
}

function dependencyNames(payload: Buffer): string[] {
  try {
    const predicate = parseSlsaPredicate(parseStatement(payload));
    return (predicate.buildDefinition.resolvedDependencies ?? []).flatMap((item) =>
      item.name === undefined ? [] : [item.name],
    );
  } catch {
    return [];
  }
}

/** `--artifact sha256:…`: the same checks as verifyAttestation, against a digest instead of bytes. */
async function verifyByDigest(
  envelope: Envelope,
  verifiers: readonly Verifier[],
  sha256: string,
  builderId: string | undefined,
): Promise<ProvenanceFact & { dependencies?: string[] }> {
  const verified = await verifyEnvelope(envelope, verifiers, { payloadType: inTotoPayloadType });
  const statement = parseStatement(verified.payload);
  if (!statement.subject.some((subject) => subject.digest['sha256']?.toLowerCase() === sha256)) {
    throw new ProvenanceError('SUBJECT_DIGEST_MISMATCH', `no subject of the statement has sha256:${sha256}`);
  }
  const predicate = parseSlsaPredicate(statement);
  const actual = predicate.runDetails.builder.id;
  if (
    builderId !== undefined &&
    !(builderId.includes('@')
      ? actual === builderId
      : actual === builderId || actual.startsWith(`${builderId}@`))
  ) {
    throw new ProvenanceError('BUILDER_MISMATCH', `built by ${actual}, expected ${builderId}`);
  }
  const commit = predicate.buildDefinition.externalParameters['commit'];
  return verifiedFact(verified.keyIds, actual, typeof commit === 'string' ? commit : undefined, envelope);
}

const commitPattern = /^[0-9a-f]{40,64}$/;

/**
 * Reachability from the default branch (`git merge-base --is-ancestor`), then the review verdict
 * of the first-parent change that brought the commit there: the commit itself when it is on the
 * first-parent line, else the merge that introduced it.
 */
async function readSource(root: string, commit: string, policy: LoadedPolicy): Promise<SourceFact> {
  if (!commitPattern.test(commit))
    throw new Error(`the provenance names an invalid commit: ${commit.slice(0, 80)}`);
  const branch = await resolveDefaultBranch(root, policy.policy.review.defaultBranch);
  const reachable = await isAncestor(root, commit, branch.head);
  const fact: SourceFact = { commit, defaultBranch: branch.name, reachable, authors: [] };
  if (!reachable) return fact;
  const path = await runGitText(root, [
    'rev-list',
    '--first-parent',
    '--ancestry-path',
    `${commit}..${branch.head}`,
  ]);
  const descendants = path === '' ? [] : path.split('\n');
  const oldest = descendants[descendants.length - 1];
  let changeId = commit;
  if (oldest !== undefined) {
    const parents = (await runGitText(root, ['rev-parse', `${oldest}^@`])).split('\n');
    // On the first-parent line the next change's first parent is the commit; else `oldest` merged it.
    if (parents[0] !== commit) changeId = oldest;
  }
  const change = await readChange(root, changeId);
  const classified = classifyChange(change);
  fact.verdict = classified.verdict;
  fact.reason = `${changeId === commit ? 'the commit' : `merge ${changeId.slice(0, 12)}`}: ${classified.reason}`;
  fact.authors = classified.authors.map((person) => describePerson(person));
  return fact;
}

async function isAncestor(root: string, commit: string, head: string): Promise<boolean> {
  if (commit === head) return true;
  try {
    await runGit(root, ['merge-base', '--is-ancestor', commit, head]);
    return true;
  } catch {
    return false;
  }
}

async function readChange(root: string, id: string): Promise<Change> {
  const raw = await runGit(root, ['cat-file', 'commit', id], { maxOutputBytes: 16 * 1024 * 1024 });
  const parsed = parseCommit(id, raw);
  const newline = parsed.message.indexOf('\n');
  const trailers = parseTrailers(parsed.message);
  const change: Change = {
    commit: id,
    parents: parsed.parents,
    author: parsed.author,
    authorTime: parsed.authorTime,
    committer: parsed.committer,
    committerTime: parsed.committerTime,
    subject: (newline === -1 ? parsed.message : parsed.message.slice(0, newline)).trim().slice(0, 300),
    trailers,
    mergeTagCount: parsed.mergeTags.length,
  };
  const request = findRequestReference(parsed.message, trailers, parsed.parents.length > 1);
  if (request) change.request = request;
  const second = parsed.parents[1];
  if (second) {
    const tip = await runGit(root, ['cat-file', 'commit', second], { maxOutputBytes: 16 * 1024 * 1024 });
    change.mergedAuthor = parseCommit(second, tip).author;
  }
  return change;
}

/**
 * Scans the tree of the released commit (not the working tree) with the repository's secret
 * rules: `git ls-tree` lists its blobs, one `git cat-file --batch` reads them.
 */
async function scanCommitSecrets(root: string, commit: string): Promise<SecretFact[]> {
  const rules = await loadRuleSet(root);
  const ruleSet = compileRuleSet(rules);
  const listing = await runGit(root, ['ls-tree', '-r', '-z', '--full-tree', '-l', commit]);
  const pathsByBlob = new Map<string, string[]>();
  const findings: SecretFact[] = [];
  for (const entry of listing.toString('utf8').split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, oid, size] = entry.slice(0, tab).split(/\s+/);
    const path = entry.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || oid === undefined) continue;
    if (isPathAllowed(ruleSet, path)) continue;
    for (const finding of pathOnlyFindings(ruleSet, path, commit)) findings.push(secretFact(finding));
    if (Number(size) > maxFileBytes)
      throw new Error(`${path} is larger than ${maxFileBytes} bytes and was not scanned`);
    const paths = pathsByBlob.get(oid) ?? [];
    paths.push(path);
    pathsByBlob.set(oid, paths);
  }
  const pool = createScanPool(rules, 1);
  try {
    await readBlobs(root, [...pathsByBlob.keys()], {
      async onBlob(oid, content) {
        if (content === undefined) throw new Error(`blob ${oid} is missing from the object store`);
        const scan = await pool.scan(content);
        if (scan.binary) return;
        for (const path of pathsByBlob.get(oid) ?? []) {
          for (const match of filterMatches(ruleSet, scan.matches, { path })) {
            findings.push(secretFact(toFinding(ruleSet, match, path)));
          }
        }
      },
    });
  } finally {
    await pool.close();
  }
  const ignore = await readGitleaksIgnore(root);
  return findings.filter(
    (finding) => !ignore.has(finding.fingerprint ?? '') && !ignore.has(finding.id ?? ''),
  );
}

function secretFact(finding: {
  ruleId: string;
  path: string;
  line: number;
  fingerprint: string;
  id: string;
}) {
  return {
    ruleId: finding.ruleId,
    path: finding.path,
    line: finding.line,
    fingerprint: finding.fingerprint,
    id: finding.id,
  };
}

async function readAssessment(
  store: Store,
  root: string,
  commit: string,
  policy: LoadedPolicy,
): Promise<AssessmentFact | undefined> {
  const assessment = await store.latestAssessmentForCommit(root, commit);
  if (!assessment) return undefined;
  const failOn = policy.policy.failOn;
  const blockingFailures = assessment.controls
    .filter(
      (control) =>
        control.status === 'fail' &&
        control.exception === undefined &&
        failOn !== 'none' &&
        severityRank(control.severity) >= severityRank(failOn),
    )
    .map((control) => control.controlId);
  return { id: assessment.id, blockingFailures };
}

async function readVulnerabilities(
  options: GateRunOptions,
  store: Store,
  sbomPackages: Fact<{ packages: CheckedPackage[] } | undefined>,
): Promise<Fact<VulnerabilityFact[]>> {
  if (!sbomPackages.ok) return { ok: false, error: sbomPackages.error };
  return attempt(async () => {
    const settings = options.policy.policy.supplyChain;
    const sources = await advisoryStatus(store, options.at);
    if (sources.length === 0) {
      throw new Error(
        'no advisory data in the store (run `shipguard advisories sync` or `advisories import`)',
      );
    }
    const oldest = Math.max(...sources.map((source) => source.ageDays));
    if (oldest > settings.advisoryDatabaseMaxAgeDays) {
      throw new Error(
        `the advisory data is ${oldest} days old (more than ${settings.advisoryDatabaseMaxAgeDays})`,
      );
    }
    let packages = sbomPackages.value?.packages;
    if (packages === undefined) {
      const scan = await scanRepository(await RepositorySnapshot.open(options.repositoryRoot));
      if (scan.errors.length > 0) throw scan.errors[0];
      packages = scan.packages.map((item) => ({
        ecosystem: item.ecosystem,
        name: item.name,
        version: item.version,
        purl: item.purl,
        location: item.location,
      }));
    }
    const vex = [];
    for (const file of options.vex) vex.push(...parseVex(file, await readFile(file, 'utf8')));
    const index = new AdvisoryIndex(await loadAdvisoriesFor(store, packages));
    const findings = findVulnerabilities(packages, index, { now: options.at, settings, vex });
    const exceptions = options.policy.policy.exceptions.filter(
      (exception) => exception.fingerprint !== undefined && !isExpired(exception.expires, options.at),
    );
    return findings.map((finding) => {
      const fact: VulnerabilityFact = {
        id: finding.id,
        package: `${finding.package.ecosystem}/${finding.package.name}@${finding.package.version}`,
        severity: finding.severity,
        slaDays: finding.slaDays,
        fingerprint: finding.fingerprint,
      };
      if (finding.published) fact.published = finding.published;
      if (finding.vex) fact.vex = finding.vex.status;
      const exception = exceptions.find((item) => item.fingerprint === finding.fingerprint);
      if (exception) fact.exceptionExpires = exception.expires;
      return fact;
    });
  });
}

async function readCalendars(root: string, settings: GateEnvironment, at: Date): Promise<CalendarFact> {
  checkTimeZone(settings.timeZone);
  const horizonHours = settings.responders?.withinHours ?? 0;
  const window = {
    since: new Date(at.getTime() - 2 * 86_400_000),
    until: new Date(at.getTime() + (horizonHours + 48) * 3_600_000),
    defaultZone: settings.timeZone,
  };
  const read = async (paths: readonly string[]): Promise<CalendarOccurrence[]> => {
    const occurrences: CalendarOccurrence[] = [];
    for (const path of paths) {
      const full = pathIn(root, path);
      occurrences.push(...parseCalendar(await readFile(full, 'utf8'), path, window));
    }
    return occurrences;
  };
  return { holidays: await read(settings.holidayCalendars), leave: await read(settings.leaveCalendars) };
}

/** The ledger append every command uses. */
export const ledgerAppend: GateDependencies['append'] = appendToLedger;
