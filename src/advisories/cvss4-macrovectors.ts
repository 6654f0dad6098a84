/**
 * The CVSS v4.0 MacroVector scores: the score FIRST's experts gave the highest-severity vector of
 * each of the 270 MacroVectors (the specification's lookup table, "CVSS v4.0 scoring").
 *
 * One row per EQ1 EQ2 EQ3 prefix. Each row lists its scores in MacroVector order, EQ4 (0–2),
 * then EQ5 (0–2), then EQ6 (0–1), i.e. xxx000, xxx001, xxx010, xxx011, xxx020, xxx021, xxx100, …
 * EQ3 = 2 admits only EQ6 = 1 (EQ6 = 0 needs a High impact), so those rows have nine scores:
 * xx2001, xx2011, xx2021, xx2101, …
 */
const rows: Record<string, string> = {
  '000': '10 9.9 9.8 9.5 9.5 9.2 10 9.6 9.3 8.7 9.1 8.1 9.3 9 8.9 8 8.1 6.8',
  '001': '9.8 9.5 9.5 9.2 9 8.4 9.3 9.2 8.9 8.1 8.1 6.5 8.8 8 7.8 7 6.9 4.8',
  '002': '9.2 8.2 7.2 7.9 6.9 5 6.9 5.5 2.7',
  '010': '9.9 9.7 9.5 9.2 9.2 8.5 9.5 9.1 9 8.3 8.4 7.1 9.2 8.1 8.2 7.1 7.2 5.3',
  '011': '9.5 9.3 9.2 8.5 8.5 7.3 9.2 8.2 8 7.2 7 5.9 8.4 7 7.1 5.2 5 3',
  '012': '8.6 7.5 5.2 7.1 5.2 2.9 6.3 2.9 1.7',
  '100': '9.8 9.5 9.4 8.7 9.1 8.1 9.4 8.9 8.6 7.4 7.7 6.4 8.7 7.5 7.4 6.3 6.3 4.9',
  '101': '9.4 8.9 8.8 7.7 7.6 6.7 8.6 7.6 7.4 5.8 5.9 5 7.2 5.7 5.7 5.2 5.2 2.5',
  '102': '8.3 7 5.4 6.5 5.8 2.6 5.3 2.1 1.3',
  '110': '9.5 9 8.8 7.6 7.6 7 9 7.7 7.5 6.2 6.1 5.3 7.7 6.6 6.8 5.9 5.2 3',
  '111': '8.9 7.8 7.6 6.7 6.2 5.8 7.4 5.9 5.7 5.7 4.7 2.3 6.1 5.2 5.7 2.9 2.4 1.6',
  '112': '7.1 5.9 3 5.8 2.6 1.5 2.3 1.3 0.6',
  '200': '9.3 8.7 8.6 7.2 7.5 5.8 8.6 7.4 7.4 6.1 5.6 3.4 7 5.4 5.2 4 4 2.2',
  '201': '8.5 7.5 7.4 5.5 6.2 5.1 7.2 5.7 5.5 4.1 4.6 1.9 5.3 3.6 3.4 1.9 1.9 0.8',
  '202': '6.4 5.1 2 4.7 2.1 1.1 2.4 0.9 0.4',
  '210': '8.8 7.5 7.3 5.3 6 5 7.3 5.5 5.9 4 4.1 2 5.4 4.3 4.5 2.2 2 1.1',
  '211': '7.5 5.5 5.8 4.5 4 2.1 6.1 5.1 4.8 1.8 2 0.9 4.6 1.8 1.7 0.7 0.8 0.2',
  '212': '5.3 2.4 1.4 2.4 1.2 0.5 1 0.3 0.1',
};

/** The score of each MacroVector, keyed by its six digits (EQ1…EQ6), e.g. `000200` → 9.3. */
export const macroVectorScores: ReadonlyMap<string, number> = expandRows(rows);

function expandRows(table: Record<string, string>): Map<string, number> {
  const scores = new Map<string, number>();
  for (const [prefix, row] of Object.entries(table)) {
    const values = row.split(' ').map(Number);
    const eq6Levels = prefix.endsWith('2') ? ['1'] : ['0', '1'];
    let index = 0;
    for (const eq4 of ['0', '1', '2']) {
      for (const eq5 of ['0', '1', '2']) {
        for (const eq6 of eq6Levels) {
          const value = values[index++];
          if (value !== undefined) scores.set(`${prefix}${eq4}${eq5}${eq6}`, value);
        }
      }
    }
  }
  return scores;
}
