import { EvidenceImportError } from './errors.js';
import type { ParsedEvidence } from './model.js';
import { isoTime } from './parse-support.js';
import { parseXml } from './xml.js';

/**
 * lcov tracefiles (`SF:`, `DA:`, `LF:`, `LH:`, `BRF:`, `BRH:`, `end_of_record`): lines found and
 * hit, summed over the files (a record without LF/LH is counted from its `DA:` lines). lcov names
 * neither a time nor a commit.
 */
export function parseLcov(fileName: string, text: string): ParsedEvidence {
  let linesFound = 0;
  let linesHit = 0;
  let branchesFound = 0;
  let branchesHit = 0;
  let records = 0;
  let record = { lf: -1, lh: -1, daFound: 0, daHit: 0 };
  let lineNumber = 0;
  for (const rawLine of text.split('\n')) {
    lineNumber += 1;
    const line = rawLine.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    const key = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1);
    if (key === 'end_of_record') {
      records += 1;
      linesFound += record.lf >= 0 ? record.lf : record.daFound;
      linesHit += record.lh >= 0 ? record.lh : record.daHit;
      record = { lf: -1, lh: -1, daFound: 0, daHit: 0 };
      continue;
    }
    if (!/^[A-Z]{2,5}$/.test(key)) {
      throw new EvidenceImportError(
        'EVIDENCE_MALFORMED',
        `${fileName}: line ${lineNumber} is not an lcov record`,
        {
          location: { path: fileName, line: lineNumber },
        },
      );
    }
    if (key === 'LF') record.lf = nonNegative(value);
    else if (key === 'LH') record.lh = nonNegative(value);
    else if (key === 'BRF') branchesFound += nonNegative(value);
    else if (key === 'BRH') branchesHit += nonNegative(value);
    else if (key === 'DA') {
      record.daFound += 1;
      const hits = Number(value.split(',')[1]);
      if (hits > 0) record.daHit += 1;
    }
  }
  if (records === 0) {
    throw new EvidenceImportError('EVIDENCE_MALFORMED', `${fileName}: no lcov record (end_of_record) found`, {
      location: { path: fileName },
    });
  }
  return {
    format: 'lcov',
    tool: 'lcov',
    summary: { kind: 'coverage', linesFound, linesHit, branchesFound, branchesHit },
  };
}

/**
 * Cobertura XML (`<coverage lines-valid lines-covered branches-valid branches-covered
 * timestamp>`), as written by coverage.py, istanbul/c8, JaCoCo converters and gcovr. The
 * timestamp is in milliseconds (coverage.py, istanbul) or seconds (older writers).
 */
export function parseCobertura(fileName: string, text: string): ParsedEvidence {
  const root = parseXml(fileName, text).children[0];
  if (root?.name !== 'coverage') {
    throw new EvidenceImportError(
      'EVIDENCE_MALFORMED',
      `${fileName}: a Cobertura report has a <coverage> root`,
      {
        location: { path: fileName },
      },
    );
  }
  const attribute = (name: string): number => nonNegative(root.attributes.get(name) ?? '0');
  const summary = {
    kind: 'coverage' as const,
    linesFound: attribute('lines-valid'),
    linesHit: attribute('lines-covered'),
    branchesFound: attribute('branches-valid'),
    branchesHit: attribute('branches-covered'),
  };
  if (summary.linesFound === 0 && root.attributes.has('line-rate') === false) {
    throw new EvidenceImportError(
      'EVIDENCE_MALFORMED',
      `${fileName}: <coverage> gives neither lines-valid nor line-rate`,
      {
        location: { path: fileName, line: root.line },
      },
    );
  }
  const parsed: ParsedEvidence = { format: 'cobertura', tool: 'Cobertura', summary };
  const stamp = Number(root.attributes.get('timestamp'));
  if (Number.isFinite(stamp) && stamp > 0) {
    const time = isoTime(stamp < 1e11 ? stamp * 1000 : stamp);
    if (time !== undefined) parsed.ranAt = time;
  }
  return parsed;
}

function nonNegative(value: string): number {
  const number = Number(value.trim());
  return Number.isSafeInteger(number) && number >= 0 ? number : 0;
}
