import { describe, expect, it } from 'vitest';
import { emptyStatusCounts } from '../kernel/index.js';
import { buildAssessment, sampleAssessment, sampleControl } from '../testing/sample-assessment.js';
import { describeCounts, describeEvidence, describeSubject, groupByArea } from './presentation.js';

describe('groupByArea', () => {
  it('follows the catalog area order and puts unknown areas last', () => {
    const controls = [
      sampleControl({ controlId: 'ZZZ-01', status: 'pass', area: 'zebra' }),
      sampleControl({ controlId: 'SEC-01', status: 'pass', area: 'secrets' }),
      sampleControl({ controlId: 'GOV-01', status: 'pass', area: 'governance' }),
      sampleControl({ controlId: 'AAA-01', status: 'pass', area: 'alpha' }),
    ];
    expect(groupByArea(controls).map((group) => group.area)).toEqual([
      'governance',
      'secrets',
      'alpha',
      'zebra',
    ]);
  });

  it('orders controls in an area by status, then severity, then id', () => {
    const controls = [
      sampleControl({ controlId: 'DEV-01', status: 'pass', severity: 'critical', area: 'development' }),
      sampleControl({ controlId: 'DEV-02', status: 'unknown', severity: 'high', area: 'development' }),
      sampleControl({ controlId: 'DEV-03', status: 'fail', severity: 'low', area: 'development' }),
      sampleControl({ controlId: 'DEV-04', status: 'fail', severity: 'high', area: 'development' }),
      sampleControl({ controlId: 'DEV-05', status: 'not-applicable', severity: 'high', area: 'development' }),
      sampleControl({ controlId: 'DEV-06', status: 'partial', severity: 'info', area: 'development' }),
      sampleControl({ controlId: 'DEV-00', status: 'fail', severity: 'high', area: 'development' }),
    ];
    const [group] = groupByArea(controls);
    expect(group?.controls.map((control) => control.controlId)).toEqual([
      'DEV-00',
      'DEV-04',
      'DEV-03',
      'DEV-06',
      'DEV-02',
      'DEV-01',
      'DEV-05',
    ]);
    expect(group?.counts).toEqual({ fail: 3, partial: 1, unknown: 1, pass: 1, 'not-applicable': 1 });
  });
});

describe('wording', () => {
  it('summarises counts in one line', () => {
    expect(describeCounts(sampleAssessment().summary)).toBe(
      '19 controls: 5 pass, 5 fail, 3 partial, 4 unknown, 2 not applicable',
    );
    expect(describeCounts({ ...emptyStatusCounts(), pass: 1 })).toBe(
      '1 control: 1 pass, 0 fail, 0 partial, 0 unknown, 0 not applicable',
    );
  });

  it('describes each kind of evidence briefly', () => {
    expect(describeEvidence({ kind: 'file', path: 'a.ts', line: 3, column: 2 })).toBe('a.ts:3:2');
    expect(describeEvidence({ kind: 'commit', commit: '9fceb02d0ae598e95dc970b74767f19372d61af8' })).toBe(
      'commit 9fceb02d0ae5',
    );
    expect(describeEvidence({ kind: 'absence', lookedFor: ['A', 'B'], in: 'working tree' })).toBe(
      'looked for A, B in working tree; not found',
    );
    expect(describeEvidence({ kind: 'record', source: 'shipguard.yaml', line: 4, note: 'n' })).toBe(
      'record in shipguard.yaml:4 (n)',
    );
    expect(
      describeEvidence({ kind: 'digest', algorithm: 'sha256', value: 'ab'.repeat(32), subject: 'x.tgz' }),
    ).toBe('sha256:abababababababab… of x.tgz');
  });

  it('describes the subject with branch, commit and state', () => {
    expect(describeSubject(sampleAssessment())).toBe('. (main @ 4b825dc642cb)');
    const dirty = buildAssessment([], {
      subject: { path: 'app', isGitRepository: true, dirty: true, shallow: true },
    });
    expect(describeSubject(dirty)).toBe('app (shallow clone, uncommitted changes)');
    const plain = buildAssessment([], { subject: { path: 'folder', isGitRepository: false } });
    expect(describeSubject(plain)).toBe('folder (not a git repository)');
  });
});
