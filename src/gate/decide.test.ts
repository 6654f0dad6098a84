import { describe, expect, it } from 'vitest';
import { approvalState, type ChangeRecord } from '../changes/index.js';
import { ChangeSettings, GateEnvironment, type GateRuleId } from '../policy/index.js';
import { type ChangeFact, decide, type GateInputs, rulesFor } from './decide.js';

const commit = 'c0ffee'.padEnd(40, '0');
// Tuesday 2026-06-09 10:00 in London (BST, UTC+1).
const tuesday = new Date('2026-06-09T09:00:00Z');

function approvedChange(overrides: Partial<ChangeRecord> = {}): ChangeRecord {
  return {
    id: 'CHG-1',
    class: 'normal',
    title: 'Release 1.2',
    author: 'alice',
    createdAt: '2026-06-08T10:00:00.000Z',
    status: 'approved',
    commits: [commit],
    commitAuthors: ['Alice Author <alice@example.com>'],
    approvals: [{ by: 'bob', at: '2026-06-08T11:00:00.000Z', roles: [] }],
    ...overrides,
  };
}

/** The ledger's verdict on a change, as findVerifiedApproval gives it (approval counted from the record). */
function verified(record: ChangeRecord, tampering: string[] = []): ChangeFact {
  const state = approvalState(record, ChangeSettings.parse({}));
  return {
    id: record.id,
    approved: state.approved,
    reason: state.reason,
    tampering,
    approvers: state.approvers,
    ledgerIndexes: [1, 2],
    record,
  };
}

/** A deployer proved by a registered key (what `proveDeployer` gives). */
function provedAs(name: string, emails: string[] = []): GateInputs['deployerPrincipal'] {
  return {
    ok: true,
    value: {
      principal: { id: `key:${name}`, kind: 'key', name, emails },
      statement: { type: 'https://shipguard.dev/deployment/v1' },
      proof: { kind: 'key', keyId: name, signature: 'sig' },
    },
  };
}

/** Facts under which every production rule passes; each test breaks one. */
function goodInputs(
  overrides: Partial<GateInputs> = {},
  environment: Record<string, unknown> = {},
): GateInputs {
  return {
    policy: { ok: true, value: 'shipguard.yaml at refs/remotes/origin/main (c0ffee)' },
    environment: {
      name: 'production',
      settings: GateEnvironment.parse({
        timeZone: 'Europe/London',
        responders: { people: ['carol', 'dave'], minimum: 1, withinHours: 24 },
        ...environment,
      }),
    },
    changeSettings: ChangeSettings.parse({}),
    at: tuesday,
    deployer: 'erin',
    deployerPrincipal: provedAs('erin', ['erin@example.com']),
    artifact: { sha256: 'ab'.repeat(32) },
    provenance: { ok: true, value: { verified: true, keyIds: ['key1'], sourceCommit: commit } },
    source: {
      ok: true,
      value: {
        commit,
        defaultBranch: 'main',
        reachable: true,
        verdict: 'reviewed',
        reason: 'Reviewed-by bob',
        authors: ['Alice Author <alice@example.com>'],
        level: 'verified',
        levelReason: 'merged with a signature by bob, verified against the protected allowed signers',
      },
    },
    secrets: { ok: true, value: [] },
    vulnerabilities: { ok: true, value: [] },
    sbom: { ok: true, value: { present: true, source: 'sbom.json' } },
    assessment: { ok: true, value: { id: 'a1', blockingFailures: [] } },
    change: { ok: true, value: verified(approvedChange()) },
    calendar: { ok: true, value: { holidays: [], leave: [] } },
    ...overrides,
  };
}

function outcomeOf(inputs: GateInputs, id: GateRuleId) {
  const decision = decide(inputs);
  const rule = decision.rules.find((item) => item.id === id);
  return { decision, rule };
}

describe('decide', () => {
  it('allows when every production rule passes, with a reason for each', () => {
    const decision = decide(goodInputs());
    expect(decision.result).toBe('allow');
    expect(decision.rules.map((rule) => rule.id)).toEqual(rulesFor('production', GateEnvironment.parse({})));
    for (const rule of decision.rules) {
      expect(rule.outcome).toBe('pass');
      expect(rule.reason.length).toBeGreaterThan(10);
    }
  });

  it('gives other environments fewer rules by default, and honours an explicit list', () => {
    expect(rulesFor('staging', GateEnvironment.parse({}))).toEqual(['provenance', 'secrets']);
    expect(rulesFor('prod', GateEnvironment.parse({}))).toHaveLength(10);
    expect(rulesFor('production', GateEnvironment.parse({ rules: ['sbom'] }))).toEqual(['sbom']);
  });

  it('treats a fact that could not be gathered as an error, and denies', () => {
    const { decision, rule } = outcomeOf(
      goodInputs({ secrets: { ok: false, error: 'git failed' } }),
      'secrets',
    );
    expect(rule?.outcome).toBe('error');
    expect(rule?.reason).toContain('git failed');
    expect(decision.result).toBe('deny');
  });

  it('treats a fact missing because another failed as a fail, not an error', () => {
    const missing = {
      ok: false as const,
      error: 'no verified provenance names the source commit',
      missing: true as const,
    };
    const { decision, rule } = outcomeOf(goodInputs({ secrets: missing }), 'secrets');
    expect(rule?.outcome).toBe('fail');
    expect(decision.result).toBe('deny');
  });

  describe('provenance', () => {
    it('denies without an attestation', () => {
      const { decision, rule } = outcomeOf(
        goodInputs({ provenance: { ok: true, value: undefined } }),
        'provenance',
      );
      expect(rule?.outcome).toBe('fail');
      expect(decision.result).toBe('deny');
    });
    it('denies an attestation that did not verify, with its reason code', () => {
      const { rule } = outcomeOf(
        goodInputs({
          provenance: { ok: true, value: { verified: false, code: 'SIGNATURE_INVALID', reason: 'bad' } },
        }),
        'provenance',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('SIGNATURE_INVALID');
    });
    it('passes verified provenance', () => {
      expect(outcomeOf(goodInputs(), 'provenance').rule?.outcome).toBe('pass');
    });
  });

  describe('source-reviewed', () => {
    const value = {
      commit,
      defaultBranch: 'main',
      reachable: true,
      verdict: 'reviewed' as const,
      authors: ['Alice Author <alice@example.com>'],
    };
    it('denies a commit not reachable from the default branch', () => {
      const { rule } = outcomeOf(
        goodInputs({ source: { ok: true, value: { ...value, reachable: false } } }),
        'source-reviewed',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('not reachable');
    });
    it('denies an unreviewed commit', () => {
      const { rule } = outcomeOf(
        goodInputs({
          source: { ok: true, value: { ...value, verdict: 'unreviewed', reason: 'pushed directly' } },
        }),
        'source-reviewed',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('pushed directly');
    });
    it('passes a reviewed commit on the default branch whose review is verified', () => {
      expect(outcomeOf(goodInputs(), 'source-reviewed').rule?.outcome).toBe('pass');
    });
    it('denies, in production, a review only declared by trailers the author can type', () => {
      const good = goodInputs();
      if (!good.source.ok) throw new Error('fixture');
      const declared = {
        ok: true as const,
        value: { ...good.source.value, level: 'declared' as const, levelReason: 'the merge is not signed' },
      };
      const { rule } = outcomeOf(goodInputs({ source: declared }), 'source-reviewed');
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('the merge is not signed');
      expect(rule?.reason).toContain('allowed-signers');
      const staging = goodInputs({
        source: declared,
        environment: { name: 'staging', settings: GateEnvironment.parse({ rules: ['source-reviewed'] }) },
      });
      expect(outcomeOf(staging, 'source-reviewed').rule?.outcome).toBe('pass');
      const required = goodInputs({
        source: declared,
        environment: {
          name: 'staging',
          settings: GateEnvironment.parse({ rules: ['source-reviewed'], requireVerifiedReview: true }),
        },
      });
      expect(outcomeOf(required, 'source-reviewed').rule?.outcome).toBe('fail');
    });
  });

  describe('secrets', () => {
    it('denies secret findings in the released commit', () => {
      const { rule } = outcomeOf(
        goodInputs({ secrets: { ok: true, value: [{ ruleId: 'aws-key', path: 'a.env', line: 3 }] } }),
        'secrets',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('a.env:3');
    });
    it('passes a clean commit', () => {
      expect(outcomeOf(goodInputs(), 'secrets').rule?.outcome).toBe('pass');
    });
  });

  describe('vulnerabilities', () => {
    const overdue = {
      id: 'GHSA-1',
      package: 'npm/left-pad@1.0.0',
      severity: 'high' as const,
      published: '2026-01-01T00:00:00Z',
      slaDays: 30,
      fingerprint: 'f1',
    };
    it('denies a high vulnerability past its SLA', () => {
      const { rule } = outcomeOf(
        goodInputs({ vulnerabilities: { ok: true, value: [overdue] } }),
        'vulnerabilities',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('GHSA-1');
    });
    it('allows one within its SLA, below the threshold, covered by VEX, or by an unexpired exception', () => {
      const cases = [
        { ...overdue, published: '2026-06-01T00:00:00Z' },
        { ...overdue, severity: 'medium' as const },
        { ...overdue, vex: 'not_affected' },
        { ...overdue, exceptionExpires: '2026-07-01' },
      ];
      for (const finding of cases) {
        expect(
          outcomeOf(goodInputs({ vulnerabilities: { ok: true, value: [finding] } }), 'vulnerabilities').rule
            ?.outcome,
        ).toBe('pass');
      }
    });
    it('denies when the covering exception has expired', () => {
      const finding = { ...overdue, exceptionExpires: '2026-06-08' };
      expect(
        outcomeOf(goodInputs({ vulnerabilities: { ok: true, value: [finding] } }), 'vulnerabilities').rule
          ?.outcome,
      ).toBe('fail');
    });
  });

  describe('sbom', () => {
    it('denies without an SBOM', () => {
      expect(
        outcomeOf(goodInputs({ sbom: { ok: true, value: { present: false } } }), 'sbom').rule?.outcome,
      ).toBe('fail');
    });
    it('passes with one', () => {
      expect(outcomeOf(goodInputs(), 'sbom').rule?.outcome).toBe('pass');
    });
  });

  describe('assessment', () => {
    it('denies without a stored assessment of the commit', () => {
      expect(
        outcomeOf(goodInputs({ assessment: { ok: true, value: undefined } }), 'assessment').rule?.outcome,
      ).toBe('fail');
    });
    it('denies failing blocking controls, naming them', () => {
      const { rule } = outcomeOf(
        goodInputs({ assessment: { ok: true, value: { id: 'a1', blockingFailures: ['SEC-01'] } } }),
        'assessment',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('SEC-01');
    });
    it('passes a clean assessment', () => {
      expect(outcomeOf(goodInputs(), 'assessment').rule?.outcome).toBe('pass');
    });
  });

  describe('change', () => {
    it('denies without a change', () => {
      expect(outcomeOf(goodInputs({ change: { ok: true, value: undefined } }), 'change').rule?.outcome).toBe(
        'fail',
      );
    });
    it('denies a change lacking approvals, and ignores a self-approval', () => {
      const change = approvedChange({
        status: 'requested',
        approvals: [{ by: 'alice', at: '2026-06-08T11:00:00Z', roles: [] }],
      });
      const { rule } = outcomeOf(goodInputs({ change: { ok: true, value: verified(change) } }), 'change');
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('0 of 1');
    });
    it("denies with the ledger's reason and names what did not verify", () => {
      const refused: ChangeFact = {
        id: 'CHG-9',
        approved: false,
        reason: 'no verified ledger entry creates change CHG-9',
        tampering: [
          'the store holds change CHG-9 but no verified ledger entry creates it: the row is ignored',
        ],
        approvers: [],
        ledgerIndexes: [],
      };
      const { rule, decision } = outcomeOf(goodInputs({ change: { ok: true, value: refused } }), 'change');
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('no verified ledger entry creates change CHG-9');
      expect(rule?.reason).toContain('the row is ignored');
      expect(decision.result).toBe('deny');
    });
    it('passes an approved change', () => {
      expect(outcomeOf(goodInputs(), 'change').rule?.outcome).toBe('pass');
    });
  });

  describe('separation-of-duties', () => {
    it('denies a deployer who wrote the change or the commit, by name or registered e-mail', () => {
      const byName = goodInputs({ deployer: 'erin', deployerPrincipal: provedAs('Alice') });
      expect(outcomeOf(byName, 'separation-of-duties').rule?.outcome).toBe('fail');
      const byEmail = goodInputs({ deployerPrincipal: provedAs('Al', ['alice@example.com']) });
      expect(outcomeOf(byEmail, 'separation-of-duties').rule?.reason).toContain('is an author');
    });
    it('denies the principal that created the change, whatever name it gives', () => {
      const author = provedAs('someone-else');
      const change = approvedChange();
      if (author.ok && author.value) change.authorPrincipal = author.value.principal;
      const inputs = goodInputs({ deployerPrincipal: author, change: { ok: true, value: verified(change) } });
      expect(outcomeOf(inputs, 'separation-of-duties').rule?.reason).toContain('created change CHG-1');
    });
    it("denies the change's author deploying with another key registered with the author's e-mail", () => {
      const change = approvedChange({
        author: 'Carla',
        authorPrincipal: { id: 'key:carla-pem', kind: 'key', name: 'Carla', emails: ['carla@example.com'] },
      });
      // Her SSH key, which the allowed-signers file names by e-mail.
      const inputs = goodInputs({
        deployerPrincipal: provedAs('carla@example.com', ['carla@example.com']),
        change: { ok: true, value: verified(change) },
      });
      const { rule, decision } = outcomeOf(inputs, 'separation-of-duties');
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('created change CHG-1');
      expect(decision.result).toBe('deny');
    });
    it('denies a deployer who is only declared (a typed name proves nothing)', () => {
      const { rule, decision } = outcomeOf(
        goodInputs({ deployer: 'erin', deployerPrincipal: { ok: true, value: undefined } }),
        'separation-of-duties',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('--deployer-key');
      expect(decision.result).toBe('deny');
    });
    it('passes another deployer, and is skipped when configured off', () => {
      expect(outcomeOf(goodInputs(), 'separation-of-duties').rule?.outcome).toBe('pass');
      const off = outcomeOf(
        goodInputs({ deployer: 'alice' }, { deployerMustDifferFromAuthor: false }),
        'separation-of-duties',
      );
      expect(off.rule?.outcome).toBe('skipped');
      expect(off.decision.result).toBe('allow');
    });
  });

  describe('freeze', () => {
    // Friday 2026-06-12 16:00 BST.
    const friday = new Date('2026-06-12T15:00:00Z');
    it('denies in the default production weekend freeze, naming it', () => {
      const { decision, rule } = outcomeOf(goodInputs({ at: friday }), 'freeze');
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('weekend freeze');
      expect(decision.result).toBe('deny');
    });
    it('denies on a public holiday', () => {
      const holiday = {
        kind: 'all-day' as const,
        summary: 'Summer bank holiday',
        people: [],
        startDate: '2026-06-09',
        endDate: '2026-06-10',
      };
      const { rule } = outcomeOf(
        goodInputs({ calendar: { ok: true, value: { holidays: [holiday], leave: [] } } }),
        'freeze',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('Summer bank holiday');
    });
    it('lets an approved emergency change override, and records the override', () => {
      const change = approvedChange({ class: 'emergency', id: 'EMG-7' });
      const { decision, rule } = outcomeOf(
        goodInputs({ at: friday, change: { ok: true, value: verified(change) } }),
        'freeze',
      );
      expect(rule?.outcome).toBe('pass');
      expect(decision.overrides).toEqual([
        expect.objectContaining({ rule: 'freeze', change: 'EMG-7', approvers: ['bob'] }),
      ]);
    });
    it('does not let an unapproved emergency change override', () => {
      const change = approvedChange({ class: 'emergency', status: 'requested', approvals: [] });
      expect(
        outcomeOf(goodInputs({ at: friday, change: { ok: true, value: verified(change) } }), 'freeze').rule
          ?.outcome,
      ).toBe('fail');
    });
    it('passes on a Tuesday, and has no default freeze outside production', () => {
      expect(outcomeOf(goodInputs(), 'freeze').rule?.outcome).toBe('pass');
      const staging = goodInputs({
        at: friday,
        environment: { name: 'staging', settings: GateEnvironment.parse({ rules: ['freeze'] }) },
      });
      expect(outcomeOf(staging, 'freeze').rule?.outcome).toBe('pass');
    });
  });

  describe('responders', () => {
    const leave = (person: string) => ({
      kind: 'all-day' as const,
      summary: `${person}: annual leave`,
      people: [person],
      startDate: '2026-06-09',
      endDate: '2026-06-11',
    });
    it('denies when fewer than the minimum are available', () => {
      const { rule } = outcomeOf(
        goodInputs({
          calendar: { ok: true, value: { holidays: [], leave: [leave('carol'), leave('dave')] } },
        }),
        'responders',
      );
      expect(rule?.outcome).toBe('fail');
      expect(rule?.reason).toContain('carol');
    });
    it('passes when enough are available, and is skipped when none are configured', () => {
      const one = goodInputs({ calendar: { ok: true, value: { holidays: [], leave: [leave('carol')] } } });
      expect(outcomeOf(one, 'responders').rule?.reason).toContain('1 of 2');
      expect(outcomeOf(one, 'responders').rule?.outcome).toBe('pass');
      const none = goodInputs({}, { responders: undefined });
      expect(outcomeOf(none, 'responders').rule?.outcome).toBe('skipped');
    });
  });
});

describe('the protected policy', () => {
  it('denies with only a policy rule, saying how to provide it, when there is no protected policy', () => {
    const decision = decide(
      goodInputs({
        policy: {
          ok: false,
          error: 'no protected default branch (no refs/remotes/origin/HEAD)',
          missing: true,
        },
      }),
    );
    expect(decision.result).toBe('deny');
    expect(decision.rules).toEqual([
      expect.objectContaining({
        id: 'policy',
        outcome: 'fail',
        reason: expect.stringContaining('origin/HEAD'),
      }),
    ]);
    expect(decision.policy).toContain('no protected default branch');
  });

  it('errors (deny) when the protected policy could not be read', () => {
    const decision = decide(goodInputs({ policy: { ok: false, error: 'invalid YAML' } }));
    expect(decision.result).toBe('deny');
    expect(decision.rules[0]).toMatchObject({ id: 'policy', outcome: 'error' });
  });

  it('names the policy it applied', () => {
    expect(decide(goodInputs()).policy).toBe('shipguard.yaml at refs/remotes/origin/main (c0ffee)');
  });
});
