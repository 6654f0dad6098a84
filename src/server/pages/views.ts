/**
 * The pages: pure functions from a read model (read-models.ts) and the viewer's context to a
 * complete HTML document. No I/O, no clock: what they show is what they are given.
 */
import type { ControlResult, ControlStatus, StatusCounts } from '../../kernel/index.js';
import { donut, percent, stackedBar, trendChart } from './charts.js';
import { type Html, html, type Interpolation } from './html.js';
import { card, empty, form, layout, type PageContext, paths, pill, shortHash, stat } from './layout.js';
import type {
  ChangeRow,
  DueBoard,
  ExceptionRow,
  GateDecisionRow,
  InclusionModel,
  LedgerModel,
  PenTestRow,
  PeopleModel,
  PortfolioModel,
  RecordsModel,
  RepositoryModel,
} from './read-models.js';

const statusLabels: Readonly<Record<ControlStatus, string>> = {
  fail: 'Fail',
  partial: 'Partial',
  unknown: 'Unknown',
  pass: 'Pass',
  'not-applicable': 'N/A',
};
const statusesShown: readonly ControlStatus[] = ['fail', 'partial', 'unknown', 'pass'];

function statusPill(status: ControlStatus): Html {
  return pill(`s-${status}`, statusLabels[status]);
}

function segmentsOf(counts: StatusCounts) {
  return statusesShown.map((status) => ({
    label: statusLabels[status],
    tone: `s-${status}`,
    value: counts[status],
  }));
}

function passShare(counts: StatusCounts): number {
  return percent(counts.pass, counts.pass + counts.fail + counts.partial + counts.unknown);
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function repositoryHref(repository: string): string {
  return `${paths.repository}${encodeURIComponent(repository)}`;
}

function dueList(items: DueBoard['overdue'] | DueBoard['dueSoon'], late: boolean): Html {
  if (items.length === 0) return empty(late ? 'Nothing overdue.' : 'Nothing due in the next 30 days.');
  return html`<ul class="due">${items.map(
    (item) =>
      html`<li><span class="due-date ${late ? 'late' : 'soon'}">${item.due}</span><span class="due-what">${item.what}</span><span class="due-days">${
        'daysLate' in item ? `${item.daysLate} d late` : `in ${item.daysLeft} d`
      }</span></li>`,
  )}</ul>`;
}

/** A small inline sparkline of pass shares. */
function sparkline(values: readonly number[]): Html {
  if (values.length < 2) return html`<span class="muted">—</span>`;
  // Scaled to the values' own range (at least 10 points), so a small change is visible.
  const low = Math.min(...values);
  const span = Math.max(10, Math.max(...values) - low);
  const points = values
    .map(
      (value, index) =>
        `${((index / (values.length - 1)) * 80).toFixed(1)},${(22 - ((value - low) / span) * 20).toFixed(1)}`,
    )
    .join(' ');
  return html`<svg class="spark" viewBox="0 0 80 24" role="img" aria-label="pass share ${values[0]}% to ${values.at(-1)}%"><polyline points="${points}"/></svg>`;
}

// ---------------------------------------------------------------- portfolio

export function portfolioPage(context: PageContext, model: PortfolioModel): string {
  const repos = model.repositories;
  const failing = repos.filter((repo) => repo.summary.fail > 0).length;
  const judged = model.totals.pass + model.totals.fail + model.totals.partial + model.totals.unknown;
  const trend = trendChart({
    title: 'Controls passing across the portfolio, by day',
    labels: model.trend.map((point) => point.day),
    series: [
      {
        name: 'Pass share',
        tone: 's-pass',
        values: model.trend.map((point) => percent(point.pass, point.assessed)),
      },
      {
        name: 'Fail share',
        tone: 's-fail',
        values: model.trend.map((point) => percent(point.fail, point.assessed)),
      },
    ],
    max: 100,
    unit: '%',
  });
  const header = html`<tr><th scope="col">Repository</th><th scope="col">Controls</th>${model.areas.map(
    (area) => html`<th scope="col" class="area">${area}</th>`,
  )}<th scope="col">Evidence of passes</th><th scope="col">Trend</th><th scope="col">Assessed</th></tr>`;
  const rows = repos.map((repo) => {
    const areaCells = model.areas.map((area) => {
      const counts = repo.areas[area];
      if (!counts) return html`<td class="area"><span class="muted">—</span></td>`;
      const worst = statusesShown.find((status) => counts[status] > 0) ?? 'not-applicable';
      return html`<td class="area"><span class="dot s-${worst}" title="${area}: ${statusLabels[worst]}"></span><span class="sr">${statusLabels[worst]}</span></td>`;
    });
    const levels = repo.passLevels;
    return html`<tr><th scope="row"><a href="${repositoryHref(repo.repository)}">${repo.name}</a><span class="sub">${repo.commit ? shortHash(repo.commit, 8) : 'no commit'}</span></th><td class="bar-cell">${stackedBar(`${repo.name} controls`, segmentsOf(repo.summary))}<span class="sub">${repo.summary.fail} fail · ${repo.summary.partial} partial · ${repo.summary.unknown} unknown · ${repo.summary.pass} pass</span></td>${areaCells}<td>${pill('l-verified', `${levels.verified} verified`)} ${pill('l-signed', `${levels.signed} signed`)} ${pill('l-declared', `${levels.declared} declared`)}</td><td>${sparkline(repo.trend)}</td><td class="nowrap">${day(repo.startedAt)}</td></tr>`;
  });
  const body = html`<div class="stats">${stat('Repositories', repos.length)}${stat('Failing a control', failing, failing > 0 ? 'bad' : 'good')}${stat(
    'Controls passing',
    `${percent(model.totals.pass, judged)}%`,
  )}${stat('Overdue items', model.overdue.length, model.overdue.length > 0 ? 'bad' : 'good')}</div>
<div class="grid two">${card('Trend', model.trend.length > 0 ? trend : empty('No assessments in the last 90 days.'), 'wide')}${card(
    'Portfolio status',
    donut('controls', segmentsOf(model.totals), `${passShare(model.totals)}%`),
  )}</div>
<div class="grid two">${card(html`Overdue <span class="count bad">${model.overdue.length}</span>`, dueList(model.overdue, true))}${card(
    html`Due in 30 days <span class="count">${model.dueSoon.length}</span>`,
    dueList(model.dueSoon, false),
  )}</div>
${card('Repositories', repos.length === 0 ? empty('No assessment has been uploaded yet: run shipguard assess --upload in CI.') : html`<div class="table-wrap"><table class="portfolio"><thead>${header}</thead><tbody>${rows}</tbody></table></div>`)}`;
  return layout(context, { title: 'Portfolio', section: 'portfolio', body });
}

// ---------------------------------------------------------------- repository

function location(control: ControlResult): Html {
  const located = control.findings.filter((finding) => finding.location);
  if (located.length === 0) return html``;
  return html`<ul class="findings">${located.slice(0, 20).map((finding) => {
    const where = finding.location as NonNullable<typeof finding.location>;
    return html`<li>${pill(`sev-${finding.severity}`, finding.severity)} <code>${where.path}${where.line === undefined ? '' : `:${where.line}`}</code> ${finding.message}</li>`;
  })}${located.length > 20 ? html`<li class="muted">and ${located.length - 20} more</li>` : ''}</ul>`;
}

function evidenceCell(control: ControlResult): Html {
  const level = control.evidenceLevel;
  const required = control.requiredLevel;
  const short =
    level !== undefined && required !== undefined && level !== required && control.status !== 'pass';
  return html`${level ? pill(`l-${level}`, level) : html`<span class="muted">none</span>`}${
    short ? html` <span class="sub warn">needs ${required}</span>` : ''
  }<span class="sub">${control.evidence.length} item${control.evidence.length === 1 ? '' : 's'}</span>`;
}

export function repositoryPage(context: PageContext, model: RepositoryModel): string {
  const { assessment } = model;
  const trend = trendChart({
    title: `Controls of ${model.name} by status, per assessment`,
    labels: model.trend.map((point) => day(point.startedAt)),
    series: [
      { name: 'Pass', tone: 's-pass', values: model.trend.map((point) => point.pass) },
      { name: 'Fail', tone: 's-fail', values: model.trend.map((point) => point.fail) },
      { name: 'Partial', tone: 's-partial', values: model.trend.map((point) => point.partial) },
      { name: 'Unknown', tone: 's-unknown', values: model.trend.map((point) => point.unknown) },
    ],
  });
  const areaCards = model.areas.map(
    (area) =>
      html`<section class="card area-card" id="area-${area.area}"><h2>${area.area} <span class="bar-inline">${stackedBar(area.area, segmentsOf(area.counts))}</span></h2><table><thead><tr><th scope="col">Control</th><th scope="col">Status</th><th scope="col">Evidence</th><th scope="col">What was seen</th></tr></thead><tbody>${area.controls.map(
        (control) =>
          html`<tr class="row-${control.status}"><th scope="row"><span class="control-id">${control.controlId}</span><span class="sub">${control.title}</span></th><td>${statusPill(control.status)}${
            control.exception
              ? html` ${pill('exception', `exception until ${control.exception.expires}`)}`
              : ''
          }</td><td>${evidenceCell(control)}</td><td>${control.summary}${
            control.status === 'unknown' && control.howToProvide
              ? html`<span class="sub">How to provide: ${control.howToProvide}</span>`
              : ''
          }${(control.status === 'fail' || control.status === 'partial') && control.remediation ? html`<span class="sub">Fix: ${control.remediation}</span>` : ''}${location(control)}</td></tr>`,
      )}</tbody></table></section>`,
  );
  const problems = assessment.problems.length
    ? card(
        html`Problems <span class="count warn">${assessment.problems.length}</span>`,
        html`<ul class="problems">${assessment.problems.map(
          (problem) =>
            html`<li>${pill(problem.severity === 'error' ? 's-fail' : 's-partial', problem.severity)} <code>${problem.code}</code> ${problem.message}${
              problem.location ? html` <code>${problem.location.path}</code>` : ''
            }</li>`,
        )}</ul>`,
      )
    : html``;
  const body = html`<p class="lede"><code>${model.repository}</code> · commit <code>${assessment.subject.commit ? shortHash(assessment.subject.commit, 12) : 'none'}</code>${
    assessment.subject.branch ? html` on <code>${assessment.subject.branch}</code>` : ''
  } · assessed ${day(assessment.startedAt)}${assessment.period ? ` · period ${assessment.period.from} to ${assessment.period.to}` : ''}</p>
<div class="grid two">${card('Trend', trend, 'wide')}${card('Status', donut('controls', segmentsOf(assessment.summary), `${passShare(assessment.summary)}%`))}</div>
${problems}${model.exceptions.length > 0 ? card('Exceptions', exceptionTable(model.exceptions, false)) : ''}${areaCards}`;
  return layout(context, { title: model.name, section: 'portfolio', body });
}

// ---------------------------------------------------------------- exceptions

function exceptionTable(rows: readonly ExceptionRow[], withRepository: boolean): Html {
  return html`<table><thead><tr>${withRepository ? html`<th scope="col">Repository</th>` : ''}<th scope="col">Control</th><th scope="col">Reason</th><th scope="col">Owner</th><th scope="col">Approved by</th><th scope="col">Expires</th></tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr>${withRepository ? html`<td><a href="${repositoryHref(row.repository)}">${row.repository.split(/[\\/]/).at(-1)}</a></td>` : ''}<th scope="row"><span class="control-id">${row.controlId}</span><span class="sub">${row.title}</span></th><td>${row.reason}</td><td>${row.owner}</td><td>${row.approver}</td><td class="nowrap">${row.expires} ${
        row.daysLeft < 0
          ? pill('s-fail', `expired ${-row.daysLeft} d ago`)
          : row.daysLeft <= 14
            ? pill('s-partial', `${row.daysLeft} d left`)
            : pill('s-pass', `${row.daysLeft} d left`)
      }</td></tr>`,
  )}</tbody></table>`;
}

export function exceptionsPage(context: PageContext, rows: readonly ExceptionRow[]): string {
  const expiring = rows.filter((row) => row.daysLeft >= 0 && row.daysLeft <= 14).length;
  const body = html`<div class="stats">${stat('Exceptions in force', rows.length)}${stat('Expiring in 14 days', expiring, expiring > 0 ? 'warn' : 'good')}</div>${card(
    'Risk acceptances',
    rows.length === 0 ? empty('No control is covered by an exception.') : exceptionTable(rows, true),
  )}`;
  return layout(context, { title: 'Exceptions', section: 'exceptions', body });
}

// ---------------------------------------------------------------- records

const recordKindOptions = [
  'training',
  'policy-acknowledgement',
  'access-review',
  'backup-restore-test',
  'supplier-review',
  'management-review',
  'threat-model',
  'risk-assessment',
];

export function recordsPage(context: PageContext, model: RecordsModel): string {
  const board = model.board;
  const enter = form(
    context,
    'records.write',
    { action: paths.recordNew, multipart: true, className: 'stack' },
    html`<label>Kind <select name="kind">${recordKindOptions.map((kind) => html`<option>${kind}</option>`)}</select></label><label>Effective <input type="date" name="effective" required></label><label>Performed by <input name="performedBy" required maxlength="200"></label><label>Data (JSON) <textarea name="data" rows="4" required></textarea></label><label>Evidence file <input type="file" name="evidence"></label><button type="submit">Sign and record</button>`,
  );
  const kinds = Object.entries(model.kinds).sort(([a], [b]) => a.localeCompare(b));
  const body = html`<div class="stats">${stat('Overdue', board.overdue.length, board.overdue.length > 0 ? 'bad' : 'good')}${stat(
    'Due in 30 days',
    board.dueSoon.length,
    board.dueSoon.length > 0 ? 'warn' : 'good',
  )}${stat('Later', board.later.length)}${stat('Records', model.records.length)}</div>
<div class="board">${card(html`Overdue <span class="count bad">${board.overdue.length}</span>`, dueList(board.overdue, true), 'col-late')}${card(
    html`Due in 30 days <span class="count warn">${board.dueSoon.length}</span>`,
    dueList(board.dueSoon, false),
    'col-soon',
  )}${card(
    html`Later <span class="count">${board.later.length}</span>`,
    board.later.length === 0
      ? empty('Nothing scheduled.')
      : html`<ul class="due">${board.later.slice(0, 12).map((item) => html`<li><span class="due-date">${item.due}</span><span class="due-what">${item.what}</span></li>`)}</ul>`,
    'col-later',
  )}</div>
<div class="grid two">${card(
    'Records',
    model.records.length === 0
      ? empty('No record yet.')
      : html`<p class="chips">${kinds.map(([kind, count]) => html`<span class="chip">${kind} <strong>${count}</strong></span>`)}</p><div class="table-wrap tall"><table><thead><tr><th scope="col">Record</th><th scope="col">Effective</th><th scope="col">By</th><th scope="col">Signed by</th><th scope="col">Evidence</th></tr></thead><tbody>${model.records.map(
          (record) =>
            html`<tr><th scope="row"><span class="control-id">${record.kind}</span><span class="sub">${record.id}</span></th><td class="nowrap">${record.effective}</td><td>${record.performedBy}</td><td>${pill('l-signed', record.signer)}</td><td>${record.evidence.map(
              (file) =>
                html`<a href="${paths.evidence(file.sha256)}">${file.name}</a> <span class="sub">sha256 ${shortHash(file.sha256)}</span>`,
            )}</td></tr>`,
        )}</tbody></table></div>`,
    'wide',
  )}${context.can.has('records.write') ? card('Enter a record', enter) : ''}</div>`;
  return layout(context, { title: 'Records', section: 'records', body });
}

// ---------------------------------------------------------------- pen tests

export function penTestsPage(context: PageContext, rows: readonly PenTestRow[]): string {
  const upload = form(
    context,
    'pen-tests.write',
    { action: paths.penTestUpload, multipart: true, className: 'stack' },
    html`<label>Engagement <input name="engagement" required pattern="[A-Za-z0-9._-]{1,64}"></label><label>Tester <input name="tester" required></label><label>Independence <select name="independence"><option>external</option><option>internal-independent</option><option>internal</option></select></label><label>Started <input type="date" name="started" required></label><label>Ended <input type="date" name="ended" required></label><label>Scope <input name="scope" value="input-validation, user-enumeration, hardening"></label><label>Findings (one per line: ID; severity; title) <textarea name="findings" rows="3"></textarea></label><label>Report <input type="file" name="report" required></label><button type="submit">Upload report</button>`,
  );
  const engagements = rows.map((row) => {
    const plan = row.plan;
    const overdue = plan ? plan.items.filter((item) => item.overdue).length : 0;
    const closed = plan ? plan.items.filter((item) => item.status === 'closed').length : 0;
    const approve = plan
      ? html``
      : form(
          context,
          'remediation.approve',
          { action: paths.planApprove(row.engagement), className: 'stack plan-form' },
          html`<p class="sub">As CTO, approve the remediation plan: one line per item, <code>ITEM; FINDING[,FINDING]; owner; due YYYY-MM-DD; action</code>.</p><textarea name="items" rows="3" required>${row.findings
            .map((finding, index) => `R-${index + 1}; ${finding.id}; ; ; fix: ${finding.title}`)
            .join('\n')}</textarea><button type="submit">Approve remediation plan</button>`,
        );
    return html`<section class="card engagement" id="engagement-${row.engagement}"><h2>${row.engagement} <span class="sub inline">${row.tester} · ${row.independence} · ended ${row.ended}</span></h2><div class="grid two"><div><h3>Findings</h3>${
      row.findings.length === 0
        ? empty('No findings.')
        : html`<table><tbody>${row.findings.map(
            (finding) =>
              html`<tr><td>${pill(`sev-${finding.severity}`, finding.severity)}</td><th scope="row">${finding.id}</th><td>${finding.title}${
                row.unplanned.includes(finding.id) ? html` ${pill('s-unknown', 'no plan item')}` : ''
              }</td></tr>`,
          )}</tbody></table>`
    }<p class="sub">Scope: ${row.scope.join(', ')}${row.report ? html` · report <a href="${paths.evidence(row.report.sha256)}">${row.report.name}</a> (sha256 ${shortHash(row.report.sha256)})` : html` · ${pill('s-fail', 'report missing')}`}</p></div><div><h3>Remediation plan ${
      plan
        ? pill('l-signed', `approved by ${plan.approvedBy} on ${plan.effective}`)
        : pill('s-partial', 'awaiting CTO approval')
    }</h3>${
      plan
        ? html`${stackedBar('plan items', [
            { label: 'closed', tone: 's-pass', value: closed },
            { label: 'open, on time', tone: 's-unknown', value: plan.items.length - closed - overdue },
            { label: 'overdue', tone: 's-fail', value: overdue },
          ])}<table><thead><tr><th scope="col">Item</th><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Status</th></tr></thead><tbody>${plan.items.map(
            (item) =>
              html`<tr><th scope="row">${item.id}<span class="sub">${item.findings.join(', ')}</span></th><td>${item.action}</td><td>${item.owner}</td><td class="nowrap">${item.due}</td><td>${
                item.status === 'closed'
                  ? pill('s-pass', `closed ${item.closed ?? ''}`)
                  : item.overdue
                    ? pill('s-fail', 'overdue')
                    : pill('s-unknown', item.status)
              }</td></tr>`,
          )}</tbody></table>`
        : approve
    }</div></div></section>`;
  });
  const body = html`<div class="stats">${stat('Engagements', rows.length)}${stat(
    'Open findings without a plan',
    rows.reduce((sum, row) => sum + row.unplanned.length, 0),
  )}${stat(
    'Overdue remediation items',
    rows.reduce((sum, row) => sum + (row.plan?.items.filter((item) => item.overdue).length ?? 0), 0),
    'bad',
  )}</div>${rows.length === 0 ? card('Engagements', empty('No penetration test recorded yet.')) : engagements}${
    context.can.has('pen-tests.write') ? card('Upload a pen-test report', upload, 'upload') : ''
  }`;
  return layout(context, { title: 'Penetration tests', section: 'pen-tests', body });
}

// ---------------------------------------------------------------- changes

const changeTone: Readonly<Record<string, string>> = {
  requested: 's-unknown',
  approved: 's-pass',
  rejected: 's-fail',
  implemented: 'l-verified',
  reviewed: 'l-signed',
};

export function changesPage(context: PageContext, rows: readonly ChangeRow[]): string {
  const create = form(
    context,
    'changes.create',
    { action: paths.changes, className: 'stack' },
    html`<label>Title <input name="title" required maxlength="200"></label><label>Class <select name="class"><option>normal</option><option>standard</option><option>major</option><option>emergency</option></select></label><label>Environment <input name="environment" value="production"></label><label>Commits (one per line) <textarea name="commits" rows="2"></textarea></label><button type="submit">Request change</button>`,
  );
  const table = html`<table><thead><tr><th scope="col">Change</th><th scope="col">Class</th><th scope="col">Author</th><th scope="col">Status</th><th scope="col">Approvals</th><th scope="col">Actions</th></tr></thead><tbody>${rows.map(
    ({ change, viewerCannotApprove, reviewOverdue }) => {
      const actions: Interpolation[] = [];
      if (change.status === 'requested') {
        actions.push(
          viewerCannotApprove
            ? context.can.has('changes.approve')
              ? html`<span class="sub" title="${viewerCannotApprove}">you cannot approve: ${viewerCannotApprove}</span>`
              : ''
            : form(
                context,
                'changes.approve',
                { action: paths.changeApprove(change.id) },
                html`<button type="submit">Approve</button>`,
              ),
        );
      }
      if (change.status === 'approved')
        actions.push(
          form(
            context,
            'changes.implement',
            { action: paths.changeImplement(change.id) },
            html`<button type="submit" class="secondary">Mark implemented</button>`,
          ),
        );
      return html`<tr><th scope="row"><span class="control-id">${change.id}</span><span class="sub">${change.title}</span></th><td>${pill(change.class === 'emergency' ? 's-fail' : 'chip', change.class)}</td><td>${change.author}</td><td>${pill(changeTone[change.status] ?? '', change.status)}${
        reviewOverdue ? html` ${pill('s-fail', 'review overdue')}` : ''
      }<span class="sub">${(change.environments ?? (change.environment ? [change.environment] : [])).join(', ')}</span></td><td>${
        change.approvals.length === 0
          ? html`<span class="muted">none</span>`
          : change.approvals.map(
              (approval) =>
                html`<span class="sub">${approval.by}${approval.principal ? ' (proved)' : ''} · ${day(approval.at)}</span>`,
            )
      }</td><td>${actions}</td></tr>`;
    },
  )}</tbody></table>`;
  const body = html`<div class="stats">${stat('Awaiting approval', rows.filter((row) => row.change.status === 'requested').length, 'warn')}${stat(
    'Approved, not deployed',
    rows.filter((row) => row.change.status === 'approved').length,
  )}${stat('Reviews overdue', rows.filter((row) => row.reviewOverdue).length, 'bad')}</div><div class="grid two">${card(
    'Change requests',
    rows.length === 0 ? empty('No change requested yet.') : html`<div class="table-wrap">${table}</div>`,
    'wide',
  )}${context.can.has('changes.create') ? card('Request a change', create) : ''}</div>`;
  return layout(context, { title: 'Changes', section: 'changes', body });
}

// ---------------------------------------------------------------- gate

export function gatePage(context: PageContext, rows: readonly GateDecisionRow[]): string {
  const denied = rows.filter((row) => row.result === 'deny').length;
  const body = html`<div class="stats">${stat('Decisions', rows.length)}${stat('Allowed', rows.length - denied, 'good')}${stat('Denied', denied, denied > 0 ? 'bad' : '')}</div>${card(
    'Gate decisions',
    rows.length === 0
      ? empty('No deployment has been gated yet.')
      : html`<table><thead><tr><th scope="col">When</th><th scope="col">Environment</th><th scope="col">Artefact</th><th scope="col">Result</th><th scope="col">Rules</th><th scope="col">Ledger</th></tr></thead><tbody>${rows.map(
          (row) =>
            html`<tr><td class="nowrap">${row.decidedAt.slice(0, 16).replace('T', ' ')}</td><td>${row.environment}</td><td><code>${shortHash(row.artifact, 16)}</code>${row.deployer ? html`<span class="sub">by ${row.deployer}</span>` : ''}</td><td>${pill(row.result === 'allow' ? 's-pass' : 's-fail', row.result)}</td><td>${row.rules
              .filter((rule) => rule.outcome !== 'pass')
              .map(
                (rule) =>
                  html`<span class="sub">${pill(rule.outcome === 'fail' ? 's-fail' : 's-unknown', rule.id)} ${rule.reason}</span>`,
              )}${
              row.rules.every((rule) => rule.outcome === 'pass')
                ? html`<span class="sub">all ${row.rules.length} rules passed</span>`
                : ''
            }</td><td><a href="${paths.inclusion(row.ledgerIndex)}">#${row.ledgerIndex}</a></td></tr>`,
        )}</tbody></table>`,
  )}`;
  return layout(context, { title: 'Gate decisions', section: 'gate', body });
}

// ---------------------------------------------------------------- people

export function peoplePage(context: PageContext, model: PeopleModel): string {
  const coverage = html`<div class="coverage">${model.requirements.map(
    (requirement) =>
      html`<div class="coverage-row"><span class="coverage-name">${requirement.name}</span>${stackedBar(
        requirement.name,
        [
          { label: 'covered', tone: 's-pass', value: requirement.covered },
          { label: 'missing', tone: 's-fail', value: requirement.inScope - requirement.covered },
        ],
      )}<span class="coverage-value">${requirement.covered}/${requirement.inScope} · ${percent(requirement.covered, requirement.inScope)}%</span></div>`,
  )}</div>`;
  const importForm = form(
    context,
    'training.import',
    { action: paths.trainingImport, multipart: true, className: 'stack' },
    html`<p class="sub">An LMS export (CSV: person, course, course_version, kind, completed, expires). Each row becomes a signed training record.</p><label>Export file <input type="file" name="file" accept=".csv,text/csv" required></label><button type="submit">Import training</button>`,
  );
  const body = html`<div class="stats">${stat('People', model.people.length)}${stat(
    'With a gap',
    model.gaps.length,
    model.gaps.length > 0 ? 'bad' : 'good',
  )}</div><div class="grid two">${card('Coverage', coverage, 'wide')}${context.can.has('training.import') ? card('Import training', importForm) : ''}</div>${card(
    'People',
    html`<table><thead><tr><th scope="col">Person</th><th scope="col">Roles</th><th scope="col">Engagement</th><th scope="col">Lacking</th></tr></thead><tbody>${model.people.map(
      (person) =>
        html`<tr${person.active ? '' : html` class="inactive"`}><th scope="row">${person.name}<span class="sub">${person.id}</span></th><td>${person.roles.join(', ')}</td><td>${person.engagement}${person.organisation ? html`<span class="sub">${person.organisation}</span>` : ''}</td><td>${
          !person.active
            ? html`<span class="muted">left ${person.end ?? ''}</span>`
            : person.lacking.length === 0
              ? pill('s-pass', 'complete')
              : person.lacking.map((item) => html`${pill('s-fail', item)} `)
        }</td></tr>`,
    )}</tbody></table>`,
  )}`;
  return layout(context, { title: 'People coverage', section: 'people', body });
}

// ---------------------------------------------------------------- ledger

export function ledgerPage(context: PageContext, model: LedgerModel, inclusion?: InclusionModel): string {
  const proof = inclusion
    ? card(
        html`Inclusion proof for entry #${inclusion.index} ${inclusion.verified ? pill('s-pass', 'verified') : pill('s-fail', 'does not verify')}`,
        html`<dl class="facts"><dt>Tree size</dt><dd>${inclusion.treeSize}</dd><dt>Root</dt><dd><code>${inclusion.root}</code></dd><dt>Leaf hash</dt><dd><code>${inclusion.leafHash}</code></dd><dt>Path</dt><dd>${
          inclusion.proof.length === 0
            ? 'empty (a tree of one)'
            : html`<ol class="hashes">${inclusion.proof.map((node) => html`<li><code>${node}</code></li>`)}</ol>`
        }</dd></dl>${inclusion.entry ? html`<details><summary>Entry</summary><pre>${inclusion.entry}</pre></details>` : ''}`,
      )
    : html``;
  const body = html`<div class="stats">${stat('Entries', model.size)}${stat('Checkpoints', model.checkpoints.length)}${stat(
    'Latest checkpoint',
    model.checkpoints[0] ? `size ${model.checkpoints[0].size}` : 'none',
    model.checkpoints[0] ? '' : 'warn',
  )}</div><p class="lede">Root hash <code>${model.root}</code></p>${proof}<div class="grid two">${card(
    'Recent entries',
    html`<table><thead><tr><th scope="col">#</th><th scope="col">Event</th><th scope="col">Recorded</th><th scope="col">Leaf hash</th></tr></thead><tbody>${model.recent.map(
      (entry) =>
        html`<tr><td><a href="${paths.inclusion(entry.index)}">${entry.index}</a></td><td><code>${entry.type}</code></td><td class="nowrap">${entry.recordedAt.slice(0, 16).replace('T', ' ')}</td><td><code>${shortHash(entry.leafHash, 16)}</code></td></tr>`,
    )}</tbody></table>`,
    'wide',
  )}${card(
    'Signed checkpoints',
    model.checkpoints.length === 0
      ? empty('No checkpoint signed yet: run shipguard ledger checkpoint.')
      : html`${model.checkpoints.map((checkpoint) => html`<pre class="note">${checkpoint.note}</pre>`)}`,
  )}</div>`;
  return layout(context, { title: 'Ledger', section: 'ledger', body });
}

/** A page for a refused or failed request: the status, a sentence, and a reference id. */
export function errorPage(
  context: PageContext | undefined,
  status: number,
  message: string,
  reference?: string,
): string {
  const body = html`<p class="lede">${message}</p>${reference ? html`<p class="sub">Reference <code>${reference}</code></p>` : ''}<p><a href="${paths.portfolio}">Back to the portfolio</a></p>`;
  if (context) return layout(context, { title: `${status}`, section: 'portfolio', body });
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><title>${status} · shipguard</title><link rel="stylesheet" href="${paths.stylesheet}"></head><body><main><h1>${status}</h1>${body}</main></body></html>`.text}`;
}
