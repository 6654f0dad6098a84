import { describe, expect, it } from 'vitest';
import { computeCvss, cvss3BaseScore, ratingOfScore } from './cvss.js';

describe('CVSS v3.x base score', () => {
  // Scores published with these vectors (NVD / FIRST calculator).
  const cases: Array<[string, number]> = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N', 5.3],
    ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N', 4.7],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 8.8],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ];
  for (const [vector, score] of cases) {
    it(`${vector} → ${score}`, () => expect(cvss3BaseScore(vector)).toBe(score));
  }

  it('rejects missing, repeated and out-of-range metrics', () => {
    for (const vector of [
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
      'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:2.0/AV:N',
    ]) {
      expect(() => computeCvss(vector), vector).toThrowError(
        expect.objectContaining({ code: 'CVSS_INVALID' }),
      );
    }
  });
});

describe('CVSS v4.0 through computeCvss', () => {
  it('scores a v4.0 vector and names the metric groups used', () => {
    expect(computeCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toEqual({
      version: '4.0',
      vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      score: 9.3,
      nomenclature: 'CVSS-B',
    });
    expect(() => computeCvss('CVSS:4.0/AV:N/AC:L')).toThrowError(
      expect.objectContaining({ code: 'CVSS_INVALID' }),
    );
  });

  it('rates scores in the same bands for both versions', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(ratingOfScore)).toEqual([
      'None',
      'Low',
      'Low',
      'Medium',
      'Medium',
      'High',
      'High',
      'Critical',
      'Critical',
    ]);
  });
});
