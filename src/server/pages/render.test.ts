/**
 * The renderers alone: what a repository, a record or a person may contain is hostile, so every
 * page is rendered with hostile text and checked to hold it only as text; pages hold no inline
 * script, inline style or event handler (the CSP forbids them); forms carry the CSRF token and
 * appear only for users allowed to post them.
 */
import { describe, expect, it } from 'vitest';
import { buildAssessment, sampleControl, sampleFinding } from '../../testing/sample-assessment.js';
import { donut, stackedBar, trendChart } from './charts.js';
import { escapeHtml, html } from './html.js';
import type { PageContext } from './layout.js';
import type { ChangeRow, PenTestRow, PortfolioModel, RepositoryModel } from './read-models.js';
import * as views from './views.js';

const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>`';

function context(can: string[] = [], name = evil): PageContext {
  return { user: { name, roles: ['developer'] }, csrfToken: 'csrf-"token"', can: new Set(can) };
}

/** What the CSP (script-src 'self'; style-src 'self') would refuse, found in markup. */
function inlineProblems(markup: string): string[] {
  // Quoted attribute values are data (every quote in text is escaped), so blank them first.
  const page = markup.replace(/"[^"]*"/g, '""');
  const problems: string[] = [];
  if (/<script(?![^>]*\bsrc=)/i.test(page)) problems.push('inline <script>');
  if (/<style/i.test(page)) problems.push('<style> element');
  if (/<[^>]*\sstyle\s*=/i.test(page)) problems.push('style attribute');
  if (/<[^>]*\son[a-z]+\s*=/i.test(page)) problems.push('event handler attribute');
  if (/\shref="javascript:/i.test(markup)) problems.push('javascript: URL');
  return problems;
}

const counts = { fail: 1, partial: 1, unknown: 1, pass: 2, 'not-applicable': 0 };

function hostilePages(can: string[] = []): string[] {
  const ctx = context(can);
  const control = sampleControl({
    controlId: 'SEC-01',
    status: 'fail',
    title: evil,
    summary: evil,
    remediation: evil,
    findings: [sampleFinding({ message: evil, location: { path: evil, line: 3 } })],
    exception: { reason: evil, owner: evil, approver: evil, expires: '2026-12-31' },
    area: 'secrets',
  });
  const assessment = buildAssessment([control], {
    subject: { path: evil, isGitRepository: true, commit: evil, branch: evil },
    problems: [{ severity: 'error', code: evil, message: evil, location: { path: evil } }],
  });
  const repository: RepositoryModel = {
    repository: evil,
    name: evil,
    assessment,
    areas: [{ area: evil, counts, controls: [control] }],
    trend: [{ startedAt: '2026-01-01T00:00:00Z', pass: 1, fail: 1, partial: 0, unknown: 0 }],
    exceptions: [
      {
        repository: evil,
        controlId: evil,
        title: evil,
        reason: evil,
        owner: evil,
        approver: evil,
        expires: evil,
        daysLeft: 3,
      },
    ],
  };
  const portfolio: PortfolioModel = {
    generatedAt: '2026-01-01T00:00:00Z',
    repositories: [
      {
        repository: evil,
        name: evil,
        assessmentId: evil,
        startedAt: evil,
        commit: evil,
        summary: counts,
        areas: { [evil]: counts },
        passLevels: { verified: 1, signed: 1, declared: 0, none: 0 },
        belowRequired: 0,
        trend: [10, 50],
      },
    ],
    areas: [evil],
    totals: counts,
    trend: [{ day: evil, pass: 2, fail: 1, assessed: 5 }],
    overdue: [{ due: evil, what: evil, about: evil, daysLate: 2 }],
    dueSoon: [{ due: evil, what: evil, about: evil, daysLeft: 2 }],
  };
  const penTest: PenTestRow = {
    recordId: evil,
    engagement: evil,
    tester: evil,
    independence: evil,
    ended: evil,
    scope: [evil],
    report: { name: evil, sha256: evil },
    findings: [{ id: evil, title: evil, severity: 'high' }],
    unplanned: [evil],
  };
  const change: ChangeRow = {
    change: {
      id: evil,
      class: 'normal',
      title: evil,
      author: evil,
      createdAt: evil,
      status: 'requested',
      commits: [],
      commitAuthors: [],
      environments: [evil],
      approvals: [{ by: evil, at: evil, roles: [] }],
    },
    viewerCannotApprove: evil,
    reviewOverdue: false,
  };
  return [
    views.portfolioPage(ctx, portfolio),
    views.repositoryPage(ctx, repository),
    views.exceptionsPage(ctx, repository.exceptions),
    views.recordsPage(ctx, {
      board: {
        overdue: portfolio.overdue,
        dueSoon: portfolio.dueSoon,
        later: [{ due: evil, what: evil, about: evil }],
      },
      kinds: { [evil]: 1 },
      records: [
        {
          id: evil,
          kind: evil,
          effective: evil,
          recordedAt: evil,
          performedBy: evil,
          signer: evil,
          evidence: [{ name: evil, sha256: evil, size: 1, mediaType: evil }],
        },
      ],
    }),
    views.penTestsPage(ctx, [penTest]),
    views.changesPage(ctx, [change]),
    views.gatePage(ctx, [
      {
        id: evil,
        environment: evil,
        artifact: evil,
        result: 'deny',
        decidedAt: evil,
        ledgerIndex: 4,
        deployer: evil,
        rules: [{ id: evil, outcome: 'fail', reason: evil }],
      },
    ]),
    views.peoplePage(ctx, {
      requirements: [{ name: evil, covered: 1, inScope: 2 }],
      gaps: [],
      people: [
        {
          id: 'p1',
          name: evil,
          emails: ['a@example.com'],
          roles: [],
          engagement: 'employee',
          organisation: evil,
          start: '2020-01-01',
          gitIdentities: [],
          lacking: [evil],
          active: true,
        },
      ],
    }),
    views.ledgerPage(
      ctx,
      {
        size: 3,
        root: evil,
        checkpoints: [{ size: 3, note: evil }],
        recent: [{ index: 2, type: evil, recordedAt: evil, leafHash: evil }],
      },
      { index: 2, treeSize: 3, leafHash: evil, root: evil, proof: [evil], verified: true, entry: evil },
    ),
    views.errorPage(ctx, 403, evil, evil),
    views.errorPage(undefined, 500, evil, evil),
  ];
}

describe('escaping', () => {
  it('escapes the five HTML-special characters and the backtick', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('escapes interpolated text but keeps nested html fragments, arrays joined', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', html`<br>`]}${undefined}${null}${false}${3}</p>`.text).toBe(
      '<p><b>&lt;i&gt;</b>&lt;<br>3</p>',
    );
  });

  it('renders hostile text in every page as text only', () => {
    for (const page of [
      ...hostilePages(),
      ...hostilePages([
        'records.write',
        'pen-tests.write',
        'remediation.approve',
        'changes.create',
        'changes.approve',
        'changes.implement',
        'training.import',
      ]),
    ]) {
      expect(page).not.toContain('<script>alert(1)');
      expect(page).not.toContain('<img src=x');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(inlineProblems(page)).toEqual([]);
    }
  });
});

describe('inline content checks', () => {
  it('catch what the CSP would refuse (so the page checks can fail)', () => {
    expect(
      inlineProblems(
        '<p style="color:red" onclick="x()"><script>1</script><style></style><a href="javascript:1">',
      ),
    ).toEqual([
      'inline <script>',
      '<style> element',
      'style attribute',
      'event handler attribute',
      'javascript: URL',
    ]);
    expect(inlineProblems('<script src="/assets/x.js"></script>')).toEqual([]);
  });
});

describe('forms', () => {
  it('carry the CSRF token and appear only for users allowed to post them', () => {
    const withRights = hostilePages(['records.write', 'changes.create', 'training.import']);
    const records = withRights[3] as string;
    expect(records).toContain('enctype="multipart/form-data"');
    expect(records).toContain('<input type="hidden" name="_csrf" value="csrf-&quot;token&quot;">');
    const forms = records.match(/<form method="post"/g) ?? [];
    const tokens = records.match(/name="_csrf"/g) ?? [];
    expect(tokens.length).toBe(forms.length);
    const without = hostilePages()[3] as string;
    expect(without).not.toContain('action="/records"');
    // Only the sign-out form is left for a user without rights.
    expect(without.match(/<form method="post"/g)).toHaveLength(1);
    expect(without).toContain('action="/logout"');
  });
});

describe('charts', () => {
  it('place a trend line by value, leave gaps, and describe the numbers in text', () => {
    const svg = trendChart({
      title: 'Pass',
      labels: ['a', 'b', 'c'],
      series: [{ name: 'pass', tone: 's-pass', values: [0, undefined, 100] }],
      max: 100,
      unit: '%',
    }).text;
    // y axis: top 12, height 180 → 0 at 192, 100 at 12; x from 40 to 628.
    expect(svg).toContain('<polyline points="40,192"/>');
    expect(svg).toContain('<polyline points="628,12"/>');
    expect(svg).toContain('aria-label="Pass. pass: 0 to 100%"');
  });

  it('split a donut and a bar by share', () => {
    const ring = donut('controls', [
      { label: 'pass', tone: 's-pass', value: 3 },
      { label: 'fail', tone: 's-fail', value: 1 },
      { label: 'unknown', tone: 's-unknown', value: 0 },
    ]).text;
    expect(ring.match(/class="arc /g)).toHaveLength(2);
    const circumference = 2 * Math.PI * 42;
    expect(ring).toContain(
      `stroke-dasharray="${Number((circumference * 0.75).toFixed(2))} ${Number((circumference * 0.25).toFixed(2))}"`,
    );
    const bar = stackedBar('coverage', [
      { label: 'covered', tone: 's-pass', value: 1 },
      { label: 'missing', tone: 's-fail', value: 3 },
    ]).text;
    expect(bar).toContain('class="s-pass" x="0" y="0" width="25"');
    expect(bar).toContain('class="s-fail" x="25" y="0" width="75"');
    expect(stackedBar('none', [])).toMatchObject({ text: expect.stringContaining('none: none') });
  });
});
