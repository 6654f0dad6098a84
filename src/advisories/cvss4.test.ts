import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cvss4Score, parseCvss4 } from './cvss4.js';
import { macroVectorScores } from './cvss4-macrovectors.js';

const critical = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('CVSS v4.0 score', () => {
  // Scores published with these vectors (FIRST's specification examples and calculator).
  const published: Array<[string, number]> = [
    [critical, 9.3],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
  ];
  for (const [vector, score] of published) {
    it(`${vector} → ${score}`, () => expect(cvss4Score(vector).score).toBe(score));
  }

  // Worked by hand from the specification's steps (MacroVector, lower MacroVectors, distances).
  const derived: Array<[string, number, string, string]> = [
    // 002201 = 6.9; every distance is 0 except EQ4, which has no lower MacroVector.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', 6.9, 'CVSS-B', '002201'],
    // E:U: 000220 = 8.1, at distance 0 from its highest vector in every EQ with a lower MacroVector.
    [`${critical}/E:U`, 8.1, 'CVSS-BT', '000220'],
    [`${critical}/E:P`, 8.9, 'CVSS-BT', '000210'],
    // Safety: EQ4 = 0, 000000 = 10; its next lower MacroVector (000100) is also 10.
    [`${critical}/MSI:S`, 10, 'CVSS-BE', '000000'],
    // 000201 = 9.0; EQ3+EQ6 distance 3 of depth 6 times (9.0 − 8.0), averaged over 4 EQs: 8.875.
    [`${critical}/CR:L/IR:L/AR:L`, 8.9, 'CVSS-BE', '000201'],
    // 000211 = 8.0; the same 0.125 off: 7.875.
    [`${critical}/E:P/CR:L/IR:L/AR:L`, 7.9, 'CVSS-BTE', '000211'],
    // Not Defined (X) is the same as absent; supplemental metrics never change the score.
    [`${critical}/E:X/CR:X/MAV:X`, 9.3, 'CVSS-B', '000200'],
    [`${critical}/S:P/AU:Y/R:U/V:C/RE:H/U:Red`, 9.3, 'CVSS-B', '000200'],
    // A modified base metric replaces the base one: MAV:L makes this the 8.5 vector above.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:L', 8.5, 'CVSS-BE', '100200'],
  ];
  for (const [vector, score, nomenclature, macroVector] of derived) {
    it(`${vector} → ${score} (${nomenclature})`, () =>
      expect(cvss4Score(vector)).toEqual({ score, nomenclature, macroVector }));
  }

  it('keeps the MacroVector table exactly as checked against the specification', () => {
    // SHA-256 of the sorted `macrovector:score` lines, taken when all 270 values were compared one by
    // one with FIRST's published table. A change here means a value changed: re-check it there.
    const listing = [...macroVectorScores]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([macroVector, score]) => `${macroVector}:${score}`)
      .join('\n');
    expect(macroVectorScores.size).toBe(270);
    expect(createHash('sha256').update(listing).digest('hex')).toBe(
      'c7052c7d1316acf735b717f33105aa79e863e6a0b6e0275ecd8169f228182c1d',
    );
  });

  it('gives each MacroVector its table score at its highest-severity vector', () => {
    // The first highest-severity vector of each EQ level, from the specification.
    const eq1 = ['AV:N/PR:N/UI:N', 'AV:A/PR:N/UI:N', 'AV:P/PR:N/UI:N'];
    const eq2 = ['AC:L/AT:N', 'AC:H/AT:N'];
    const eq3eq6: Record<string, string> = {
      '00': 'VC:H/VI:H/VA:H/CR:H/IR:H/AR:H',
      '01': 'VC:H/VI:H/VA:L/CR:M/IR:M/AR:H',
      '10': 'VC:L/VI:H/VA:H/CR:H/IR:H/AR:H',
      '11': 'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H',
      '21': 'VC:L/VI:L/VA:L/CR:H/IR:H/AR:H',
    };
    const eq4 = ['SC:H/SI:H/SA:H/MSI:S/MSA:S', 'SC:H/SI:H/SA:H', 'SC:L/SI:L/SA:L'];
    const eq5 = ['E:A', 'E:P', 'E:U'];
    let checked = 0;
    for (const [macroVector, tableScore] of macroVectorScores) {
      const [l1, l2, l3, l4, l5, l6] = [...macroVector].map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const parts = [eq1[l1], eq2[l2], eq3eq6[`${l3}${l6}`], eq4[l4], eq5[l5]];
      const metrics = Object.fromEntries(
        parts
          .join('/')
          .split('/')
          .map((part) => part.split(':')),
      );
      const order = [
        'AV',
        'AC',
        'AT',
        'PR',
        'UI',
        'VC',
        'VI',
        'VA',
        'SC',
        'SI',
        'SA',
        'E',
        'CR',
        'IR',
        'AR',
        'MSI',
        'MSA',
      ];
      const vector = `CVSS:4.0/${order.flatMap((key) => (metrics[key] ? [`${key}:${metrics[key]}`] : [])).join('/')}`;
      expect(cvss4Score(vector), vector).toMatchObject({ macroVector, score: tableScore });
      checked++;
    }
    expect(checked).toBe(270);
  });

  it('scores every base vector in [0, its MacroVector score] with one decimal, 0 only without impact', () => {
    const values = {
      AV: 'NALP',
      AC: 'LH',
      AT: 'NP',
      PR: 'NLH',
      UI: 'NPA',
      VC: 'HLN',
      VI: 'HLN',
      VA: 'HLN',
      SC: 'HLN',
      SI: 'HLN',
      SA: 'HLN',
    };
    const keys = Object.keys(values) as Array<keyof typeof values>;
    const total = keys.reduce((product, key) => product * values[key].length, 1);
    let scored = 0;
    const problems: string[] = [];
    // Every 7th of the 104,976 base vectors: a stride coprime with each metric's number of values.
    for (let index = 0; index < total; index += 7) {
      let rest = index;
      const parts: string[] = [];
      for (const key of keys) {
        const options = values[key];
        parts.push(`${key}:${options[rest % options.length]}`);
        rest = Math.floor(rest / options.length);
      }
      const vector = `CVSS:4.0/${parts.join('/')}`;
      const { score, macroVector } = cvss4Score(vector);
      const noImpact = ['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((key) => parts.includes(`${key}:N`));
      const ceiling = macroVectorScores.get(macroVector) ?? Number.NaN;
      const valid =
        Math.round(score * 10) / 10 === score && (noImpact ? score === 0 : score > 0 && score <= ceiling);
      if (!valid) problems.push(`${vector} → ${score} (${macroVector})`);
      scored++;
    }
    expect(problems).toEqual([]);
    expect(scored).toBe(Math.ceil(total / 7));
  });

  it('rejects vectors that break the specification', () => {
    for (const vector of [
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N',
      `${critical}/SI:N`,
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N',
      `${critical}/E:Q`,
      `${critical}/XX:Y`,
      `${critical}/MSI`,
      `${critical}/${'U:Red/'.repeat(60)}`,
      'CVSS:3.1/AV:N',
    ]) {
      expect(() => parseCvss4(vector), vector).toThrowError(
        expect.objectContaining({ code: 'CVSS_INVALID' }),
      );
    }
  });

  it('returns a fresh result each time, so a caller cannot change a remembered score', () => {
    const first = cvss4Score(critical);
    first.score = 1;
    expect(cvss4Score(critical).score).toBe(9.3);
  });
});
