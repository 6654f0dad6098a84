/**
 * What the pages show, read from the store through the domains' public functions (and, for
 * tables a domain lists no reader for, a Kysely query over that table). Each function returns
 * plain data: the views turn it into HTML, the API can return it as JSON.
 */
import { sql } from 'kysely';
import type { Catalog } from '../../catalog/index.js';
import {
  type ChangeRecord,
  listChanges,
  listGateDecisions,
  type StoredGateDecision,
  separationIssue,
} from '../../changes/index.js';
import type {
  Assessment,
  ControlResult,
  ControlStatus,
  EvidenceLevel,
  StatusCounts,
} from '../../kernel/index.js';
import { emptyStatusCounts } from '../../kernel/index.js';
import {
  encodeBase64,
  listCheckpoints,
  proveInclusion,
  readEntries,
  readHead,
  verifyInclusion,
} from '../../ledger/index.js';
import { isActiveOn, isDeveloper, listPeople, type Person } from '../../people/index.js';
import {
  type DueItem,
  listDueItems,
  loadVerifiedRecords,
  peopleCoverage,
  type RecordSet,
  type SourcedRecord,
} from '../../records/index.js';
import { type LatestAssessmentsTable, type Store, statusCountsOfRow } from '../../store/index.js';

const dayMs = 86_400_000;

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / dayMs,
  );
}

/** The records in the store, verified against the registered signers, with the roster. */
export async function loadRecordSet(store: Store): Promise<RecordSet> {
  const [people, records] = await Promise.all([listPeople(store), loadVerifiedRecords(store)]);
  return {
    people,
    records: records.map((record): SourcedRecord => ({ ...record, source: `store#${record.document.id}` })),
  };
}

export interface DueBoard {
  overdue: Array<DueItem & { daysLate: number }>;
  dueSoon: Array<DueItem & { daysLeft: number }>;
  later: DueItem[];
}

/** Dated obligations from the records: overdue, due within `soonDays`, later. */
export function dueBoard(catalog: Catalog, set: RecordSet, now: Date, soonDays = 30): DueBoard {
  const board: DueBoard = { overdue: [], dueSoon: [], later: [] };
  const day = today(now);
  for (const item of listDueItems(catalog, set, now)) {
    const left = daysBetween(day, item.due);
    if (left < 0) board.overdue.push({ ...item, daysLate: -left });
    else if (left <= soonDays) board.dueSoon.push({ ...item, daysLeft: left });
    else board.later.push(item);
  }
  return board;
}

// ---------------------------------------------------------------- portfolio

export interface RepositoryRow {
  repository: string;
  /** The last path segment, for display. */
  name: string;
  assessmentId: string;
  startedAt: string;
  commit?: string;
  summary: StatusCounts;
  /** Area → status counts of the latest assessment. */
  areas: Record<string, StatusCounts>;
  /** Passing controls by the level of their evidence. */
  passLevels: Record<EvidenceLevel | 'none', number>;
  /** Controls whose evidence is below what the policy asks. */
  belowRequired: number;
  /** Pass share (percent) of the last 12 assessments in the trend window, oldest first (for a sparkline). */
  trend: number[];
}

export interface PortfolioModel {
  generatedAt: string;
  repositories: RepositoryRow[];
  areas: string[];
  totals: StatusCounts;
  /** Per day: pass share of the controls assessed that day, across repositories. */
  trend: Array<{ day: string; pass: number; fail: number; assessed: number }>;
  overdue: DueBoard['overdue'];
  dueSoon: DueBoard['dueSoon'];
}

function repositoryName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

/** The repositories with an assessment, as a `with` clause naming `r(repository)`: one row each in the projection (migration 018). */
function repositoryWalk() {
  return sql`with r(repository) as (select repository from latest_assessments)`;
}

/** A row of `latest_assessments` (migration 018), as the portfolio reads it (its id as `id`). */
export type LatestRow = Omit<LatestAssessmentsTable, 'assessment_id'> & { id: string };

/**
 * Each repository's latest assessment (newest start, then greatest id), repositories in order;
 * `repositories` limits it to those keys. Read from the projection `writeAssessmentRows` keeps
 * (one small row per repository: no documents, no walk over the history).
 */
export async function latestAssessmentRows(
  store: Store,
  repositories?: readonly string[],
): Promise<LatestRow[]> {
  let select = store.db
    .selectFrom('latest_assessments')
    .select([
      'assessment_id as id',
      'repository',
      'commit',
      'started_at',
      'fail',
      'partial',
      'unknown',
      'pass',
      'not_applicable',
      'areas',
      'pass_verified',
      'pass_signed',
      'pass_declared',
      'pass_none',
      'below_required',
    ]);
  if (repositories !== undefined) {
    if (repositories.length === 0) return [];
    select = select.where('repository', 'in', [...repositories]);
  }
  return select.orderBy('repository').execute();
}

/** The status counts by area a projection row holds (an unreadable value reads as none). */
export function areasOf(row: Pick<LatestRow, 'areas'>): Record<string, StatusCounts> {
  try {
    const parsed = JSON.parse(row.areas) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const areas: Record<string, StatusCounts> = {};
    for (const [area, value] of Object.entries(parsed as Record<string, Partial<StatusCounts>>)) {
      const counts = emptyStatusCounts();
      for (const status of Object.keys(counts) as ControlStatus[])
        counts[status] = Number(value?.[status] ?? 0);
      areas[area] = counts;
    }
    return areas;
  } catch {
    return {};
  }
}

/** Every repository's latest assessment, by area and evidence level, with the fleet's trend. */
export async function portfolioModel(
  store: Store,
  input: { catalog: Catalog; now: Date; trendDays?: number; records?: RecordSet },
): Promise<PortfolioModel> {
  const db = store.db;
  const byRepository = new Map<string, LatestRow>();
  for (const row of await latestAssessmentRows(store)) byRepository.set(row.repository, row);
  const areasById = new Map<string, Record<string, StatusCounts>>();
  const areaNames = new Set<string>();
  for (const row of byRepository.values()) {
    const areas = areasOf(row);
    areasById.set(row.id, areas);
    for (const area of Object.keys(areas)) areaNames.add(area);
  }
  const trendDays = input.trendDays ?? 90;
  const since = new Date(input.now.getTime() - trendDays * dayMs).toISOString();
  // Per day from the daily totals (migration 019): one row per day, whatever the fleet's size.
  const trendRows = await db
    .selectFrom('assessment_days')
    .select(['day', 'pass', 'fail', 'partial', 'unknown'])
    .where('day', '>=', since.slice(0, 10))
    .orderBy('day')
    .execute();
  const repositories: RepositoryRow[] = [];
  const totals = emptyStatusCounts();
  // Each repository's pass share over the trend window, in one query (the last 12 per repository).
  const shares = new Map<string, number[]>();
  // Only the last 12 of each repository are drawn: one index range per repository, not the window.
  // PostgreSQL runs that as a lateral join; SQLite (no LATERAL) as a correlated IN, which it
  // evaluates per repository as well.
  const lastTwelve =
    store.dialect === 'postgres'
      ? sql`${repositoryWalk()}
    select r.repository, x.pass, x.fail, x.partial, x.unknown
    from r cross join lateral (
      select b.pass, b.fail, b.partial, b.unknown, b.started_at, b.id from assessments b
      where b.repository = r.repository and b.started_at >= ${since}
      order by b.started_at desc, b.id desc limit 12) x
    where r.repository is not null
    order by r.repository, x.started_at, x.id`
      : sql`${repositoryWalk()}
    select x.repository, x.pass, x.fail, x.partial, x.unknown
    from r join assessments x on x.repository = r.repository
    where r.repository is not null and x.started_at >= ${since} and x.id in (
      select b.id from assessments b where b.repository = r.repository and b.started_at >= ${since}
      order by b.started_at desc, b.id desc limit 12)
    order by x.repository, x.started_at, x.id`;
  const trendOfRepositories = await sql<{
    repository: string;
    pass: number;
    fail: number;
    partial: number;
    unknown: number;
  }>`${lastTwelve}`.execute(db);
  for (const row of trendOfRepositories.rows) {
    const judged = Number(row.pass) + Number(row.fail) + Number(row.partial) + Number(row.unknown);
    const list = shares.get(row.repository) ?? [];
    list.push(judged === 0 ? 0 : Math.round((Number(row.pass) / judged) * 100));
    shares.set(row.repository, list);
  }
  for (const row of byRepository.values()) {
    const summary = statusCountsOfRow(row);
    for (const status of Object.keys(totals) as ControlStatus[]) totals[status] += summary[status];
    repositories.push({
      repository: row.repository,
      name: repositoryName(row.repository),
      assessmentId: row.id,
      startedAt: row.started_at,
      ...(row.commit === null ? {} : { commit: row.commit }),
      summary,
      areas: areasById.get(row.id) ?? {},
      passLevels: {
        verified: Number(row.pass_verified),
        signed: Number(row.pass_signed),
        declared: Number(row.pass_declared),
        none: Number(row.pass_none),
      },
      belowRequired: Number(row.below_required),
      trend: (shares.get(row.repository) ?? []).slice(-12),
    });
  }
  const board = input.records
    ? dueBoard(input.catalog, input.records, input.now)
    : { overdue: [], dueSoon: [] };
  return {
    generatedAt: input.now.toISOString(),
    repositories: repositories.sort(
      (a, b) => b.summary.fail - a.summary.fail || a.name.localeCompare(b.name),
    ),
    areas: [...areaNames].sort(),
    totals,
    trend: trendRows.map((row) => {
      const pass = Number(row.pass);
      const fail = Number(row.fail);
      return { day: row.day, pass, fail, assessed: pass + fail + Number(row.partial) + Number(row.unknown) };
    }),
    overdue: board.overdue,
    dueSoon: board.dueSoon,
  };
}

// ---------------------------------------------------------------- one repository

export interface RepositoryModel {
  repository: string;
  name: string;
  assessment: Assessment;
  /** Controls grouped by area, areas in name order, failing controls first. */
  areas: Array<{ area: string; counts: StatusCounts; controls: ControlResult[] }>;
  trend: Array<{ startedAt: string; pass: number; fail: number; partial: number; unknown: number }>;
  exceptions: ExceptionRow[];
}

const statusOrder: Readonly<Record<ControlStatus, number>> = {
  fail: 0,
  partial: 1,
  unknown: 2,
  pass: 3,
  'not-applicable': 4,
};

/** The latest assessment of `repository` (by its stored path), or undefined when none. */
export async function repositoryModel(
  store: Store,
  repository: string,
  now: Date,
): Promise<RepositoryModel | undefined> {
  const [summary] = await store.listAssessments({ repository, limit: 1 });
  if (!summary) return undefined;
  const assessment = await store.getAssessment(summary.id);
  if (!assessment) return undefined;
  const grouped = new Map<string, ControlResult[]>();
  for (const control of assessment.controls)
    grouped.set(control.area, [...(grouped.get(control.area) ?? []), control]);
  const areas = [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([area, controls]) => {
      const counts = emptyStatusCounts();
      for (const control of controls) counts[control.status] += 1;
      return {
        area,
        counts,
        controls: [...controls].sort(
          (a, b) => statusOrder[a.status] - statusOrder[b.status] || a.controlId.localeCompare(b.controlId),
        ),
      };
    });
  const history = await store.areaTrend({ repository, limit: 60 });
  const trend = [...history].reverse().map((entry) => {
    const counts = emptyStatusCounts();
    for (const area of Object.values(entry.areas))
      for (const status of Object.keys(counts) as ControlStatus[]) counts[status] += area[status];
    return {
      startedAt: entry.startedAt,
      pass: counts.pass,
      fail: counts.fail,
      partial: counts.partial,
      unknown: counts.unknown,
    };
  });
  return {
    repository,
    name: repositoryName(repository),
    assessment,
    areas,
    trend,
    exceptions: exceptionsOf(assessment, repository, now),
  };
}

// ---------------------------------------------------------------- exceptions

export interface ExceptionRow {
  repository: string;
  controlId: string;
  title: string;
  reason: string;
  owner: string;
  approver: string;
  expires: string;
  /** Negative: expired that many days ago. */
  daysLeft: number;
}

function exceptionsOf(assessment: Assessment, repository: string, now: Date): ExceptionRow[] {
  return assessment.controls
    .filter((control) => control.exception !== undefined)
    .map((control) => {
      const exception = control.exception as NonNullable<ControlResult['exception']>;
      return {
        repository,
        controlId: control.controlId,
        title: control.title,
        reason: exception.reason,
        owner: exception.owner,
        approver: exception.approver,
        expires: exception.expires,
        daysLeft: daysBetween(today(now), exception.expires),
      };
    });
}

/** Exceptions applied in every repository's latest assessment, soonest expiry first. */
export async function exceptionsModel(store: Store, now: Date, limit = 2000): Promise<ExceptionRow[]> {
  const repositories = await store.db
    .selectFrom('assessments')
    .select('repository')
    .distinct()
    .limit(limit)
    .execute();
  const rows: ExceptionRow[] = [];
  for (const { repository } of repositories) {
    const [summary] = await store.listAssessments({ repository, limit: 1 });
    const assessment = summary ? await store.getAssessment(summary.id) : undefined;
    if (assessment) rows.push(...exceptionsOf(assessment, repository, now));
  }
  return rows.sort((a, b) => a.daysLeft - b.daysLeft || a.repository.localeCompare(b.repository));
}

// ---------------------------------------------------------------- records

export interface RecordRow {
  id: string;
  kind: string;
  effective: string;
  recordedAt: string;
  performedBy: string;
  signer: string;
  evidence: Array<{ name: string; sha256: string; size: number; mediaType: string }>;
}

export interface RecordsModel {
  board: DueBoard;
  records: RecordRow[];
  /** Record count per kind. */
  kinds: Record<string, number>;
}

export function recordsModel(catalog: Catalog, set: RecordSet, now: Date): RecordsModel {
  const kinds: Record<string, number> = {};
  for (const record of set.records) kinds[record.document.kind] = (kinds[record.document.kind] ?? 0) + 1;
  return {
    board: dueBoard(catalog, set, now),
    kinds,
    records: [...set.records]
      .sort(
        (a, b) =>
          b.document.effective.localeCompare(a.document.effective) ||
          a.document.id.localeCompare(b.document.id),
      )
      .map((record) => ({
        id: record.document.id,
        kind: record.document.kind,
        effective: record.document.effective,
        recordedAt: record.document.recordedAt,
        performedBy: record.document.performedBy,
        signer: record.signer,
        evidence: record.document.evidence.map((file) => ({
          name: file.name,
          sha256: file.sha256,
          size: file.size,
          mediaType: file.mediaType,
        })),
      })),
  };
}

// ---------------------------------------------------------------- pen tests

interface PenTestData {
  engagement: string;
  tester: string;
  independence: string;
  started: string;
  ended: string;
  scope: string[];
  report: string;
  findings: Array<{ id: string; title: string; severity: string }>;
  presentedToCto?: string;
}

interface PlanItem {
  id: string;
  findings: string[];
  action: string;
  owner: string;
  due: string;
  status: 'open' | 'in-progress' | 'closed';
  closed?: string;
}

export interface PenTestRow {
  recordId: string;
  engagement: string;
  tester: string;
  independence: string;
  ended: string;
  scope: string[];
  report?: { name: string; sha256: string };
  findings: PenTestData['findings'];
  plan?: {
    recordId: string;
    /** Who signed it (a CTO-held key: the approval). */
    approvedBy: string;
    effective: string;
    items: Array<PlanItem & { overdue: boolean }>;
  };
  /** Findings no plan item covers. */
  unplanned: string[];
}

/** Each pen test with the latest remediation plan for its engagement, newest engagement first. */
export function penTestsModel(set: RecordSet, now: Date): PenTestRow[] {
  const day = today(now);
  const plans = new Map<string, SourcedRecord>();
  for (const record of set.records) {
    if (record.document.kind !== 'remediation-plan') continue;
    const engagement = (record.document.data as { engagement: string }).engagement;
    const known = plans.get(engagement);
    if (!known || known.document.effective <= record.document.effective) plans.set(engagement, record);
  }
  return set.records
    .filter((record) => record.document.kind === 'pen-test')
    .map((record) => {
      const data = record.document.data as PenTestData;
      const planRecord = plans.get(data.engagement);
      const report = record.document.evidence.find((file) => file.name === data.report);
      const items = planRecord ? (planRecord.document.data as { items: PlanItem[] }).items : [];
      const covered = new Set(items.flatMap((item) => item.findings));
      return {
        recordId: record.document.id,
        engagement: data.engagement,
        tester: data.tester,
        independence: data.independence,
        ended: data.ended,
        scope: data.scope,
        ...(report ? { report: { name: report.name, sha256: report.sha256 } } : {}),
        findings: data.findings,
        ...(planRecord
          ? {
              plan: {
                recordId: planRecord.document.id,
                approvedBy: planRecord.signer,
                effective: planRecord.document.effective,
                items: items.map((item) => ({
                  ...item,
                  overdue: item.status !== 'closed' && item.due < day,
                })),
              },
            }
          : {}),
        unplanned: data.findings.map((finding) => finding.id).filter((id) => !covered.has(id)),
      };
    })
    .sort((a, b) => b.ended.localeCompare(a.ended));
}

// ---------------------------------------------------------------- changes and gate

export interface ChangeRow {
  change: ChangeRecord;
  /** Why `viewer` may not approve it (the author, or already approved by them), if so. */
  viewerCannotApprove?: string;
  reviewOverdue: boolean;
}

export async function changesModel(
  store: Store,
  viewer: string | undefined,
  now: Date,
): Promise<ChangeRow[]> {
  const changes = await listChanges(store, { limit: 200 });
  return changes.map((change) => {
    const issue = viewer === undefined ? undefined : separationIssue(change, viewer);
    return {
      change,
      ...(issue === undefined ? {} : { viewerCannotApprove: issue }),
      reviewOverdue:
        change.reviewDueAt !== undefined &&
        change.review === undefined &&
        change.reviewDueAt < now.toISOString(),
    };
  });
}

/** A gate decision as the dashboard shows it: its stored columns, who deployed, and each rule's outcome. */
export type GateDecisionRow = Omit<StoredGateDecision, 'document'> & {
  deployer?: string;
  rules: Array<{ id: string; outcome: string; reason: string }>;
};

/** The latest gate decisions, newest first. */
export async function gateDecisionsModel(store: Store, limit = 200): Promise<GateDecisionRow[]> {
  const rows = await listGateDecisions(store, limit);
  return rows.map((row) => {
    let document: { deployer?: unknown; rules?: unknown } = {};
    try {
      document = JSON.parse(row.document) as typeof document;
    } catch {
      // A row whose document does not parse still shows its columns; its rules show as none.
    }
    const rules = Array.isArray(document.rules)
      ? document.rules.map((rule: { id?: unknown; outcome?: unknown; reason?: unknown }) => ({
          id: String(rule.id),
          outcome: String(rule.outcome),
          reason: String(rule.reason ?? ''),
        }))
      : [];
    return {
      id: row.id,
      environment: row.environment,
      artifact: row.artifact,
      result: row.result,
      decidedAt: row.decidedAt,
      ledgerIndex: row.ledgerIndex,
      ...(typeof document.deployer === 'string' ? { deployer: document.deployer } : {}),
      rules,
    };
  });
}

// ---------------------------------------------------------------- people

export interface PeopleModel {
  /** Per requirement: people in scope who have it, and who are in scope. */
  requirements: Array<{ name: string; covered: number; inScope: number }>;
  gaps: ReturnType<typeof peopleCoverage>['gaps'];
  people: Array<Person & { lacking: string[]; active: boolean }>;
}

export function peopleModel(set: RecordSet, now: Date): PeopleModel {
  const coverage = peopleCoverage(set, now);
  const day = today(now);
  const lackingById = new Map(coverage.gaps.map((gap) => [gap.person, gap.lacking]));
  const inScope = set.people.filter(
    (person) => isActiveOn(person, day) && (isDeveloper(person) || person.engagement !== 'employee'),
  );
  const requirement = (
    name: string,
    match: (lacking: string) => boolean,
    applies: (person: Person) => boolean,
  ) => {
    const scoped = inScope.filter(applies);
    const missing = scoped.filter((person) => (lackingById.get(person.id) ?? []).some(match)).length;
    return { name, covered: scoped.length - missing, inScope: scoped.length };
  };
  return {
    requirements: [
      requirement('Annual awareness training', (l) => l.startsWith('annual awareness'), isDeveloper),
      requirement('Secure coding training', (l) => l.startsWith('secure coding'), isDeveloper),
      requirement(
        'Policy acknowledgement',
        (l) => l.startsWith('acknowledgement'),
        () => true,
      ),
    ],
    gaps: coverage.gaps,
    people: set.people
      .map((person) => ({
        ...person,
        lacking: lackingById.get(person.id) ?? [],
        active: isActiveOn(person, day),
      }))
      .sort((a, b) => b.lacking.length - a.lacking.length || a.name.localeCompare(b.name)),
  };
}

// ---------------------------------------------------------------- ledger

export interface LedgerModel {
  size: number;
  root: string;
  checkpoints: Array<{ size: number; note: string }>;
  recent: Array<{ index: number; type: string; recordedAt: string; leafHash: string }>;
}

export async function ledgerModel(store: Store, recentCount = 25): Promise<LedgerModel> {
  const head = await readHead(store);
  const recent = await readEntries(store, Math.max(0, head.size - recentCount), recentCount);
  return {
    size: head.size,
    root: Buffer.from(head.root).toString('hex'),
    checkpoints: await listCheckpoints(store, 20),
    recent: recent.reverse().map((entry) => {
      let type = 'unknown';
      let recordedAt = entry.createdAt;
      try {
        const parsed = JSON.parse(entry.entry) as { type?: unknown; recordedAt?: unknown };
        if (typeof parsed.type === 'string') type = parsed.type;
        if (typeof parsed.recordedAt === 'string') recordedAt = parsed.recordedAt;
      } catch {
        // shown as unknown: verify-ledger names the broken entry
      }
      return { index: entry.index, type, recordedAt, leafHash: entry.leafHash };
    }),
  };
}

export interface InclusionModel {
  index: number;
  treeSize: number;
  leafHash: string;
  root: string;
  proof: string[];
  /** The proof recomputed here leads to the root. */
  verified: boolean;
  entry?: string;
}

/** An inclusion proof of entry `index` in the current tree, checked before it is shown. */
export async function inclusionModel(store: Store, index: number): Promise<InclusionModel> {
  const proof = await proveInclusion(store, index);
  let verified = true;
  try {
    verifyInclusion(proof);
  } catch {
    verified = false;
  }
  const [entry] = await readEntries(store, index, 1);
  return {
    index: proof.leafIndex,
    treeSize: proof.treeSize,
    leafHash: Buffer.from(proof.leafHash).toString('hex'),
    root: Buffer.from(proof.root).toString('hex'),
    proof: proof.proof.map((node: Uint8Array) => encodeBase64(node)),
    verified,
    ...(entry ? { entry: entry.entry } : {}),
  };
}

// ---------------------------------------------------------------- portfolio cache

/**
 * The portfolio model, kept per store until the store changes: every write the portfolio shows
 * (assessments, records, exceptions) appends to the ledger, so the ledger's size is the change
 * marker, as for the API's portfolio; `maxAgeMs` bounds staleness (the trend window and the due
 * board move with the clock, and a write could bypass the ledger). The marker is read before the
 * model, so a write racing the read is seen at the next request.
 */
const portfolioCache = new WeakMap<
  Store,
  { marker: number; at: number; records: boolean; model: PortfolioModel }
>();

export async function cachedPortfolioModel(
  store: Store,
  input: { catalog: Catalog; now: Date; records?: () => Promise<RecordSet>; maxAgeMs: number },
): Promise<PortfolioModel> {
  const marker = await ledgerSize(store);
  const at = input.now.getTime();
  const cached = portfolioCache.get(store);
  if (
    cached &&
    cached.marker === marker &&
    cached.records === (input.records !== undefined) &&
    at >= cached.at &&
    at - cached.at < input.maxAgeMs
  )
    return cached.model;
  const records = input.records ? await input.records() : undefined;
  const model = await portfolioModel(store, {
    catalog: input.catalog,
    now: input.now,
    ...(records === undefined ? {} : { records }),
  });
  portfolioCache.set(store, { marker, at, records: records !== undefined, model });
  return model;
}

async function ledgerSize(store: Store): Promise<number> {
  const result = await sql<{ size: number | string }>`select size from ledger_head where id = 1`.execute(
    store.db,
  );
  return Number(result.rows[0]?.size ?? 0);
}
