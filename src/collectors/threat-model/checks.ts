import type { Evidence } from '../../kernel/index.js';
import { failed, findingOf, passed } from '../results.js';
import type { Check } from '../types.js';
import type { ThreatModelFacts } from './collect.js';

const lookedFor = [
  'docs/threat-model*, THREAT_MODEL*, threat-model*',
  '*.threat-dragon.json, threat-model*.json (OWASP Threat Dragon)',
  'threagile*.yaml',
  'threat-model*.py (pytm)',
  '*.tm7 (Microsoft Threat Modeling Tool)',
];

export const threatModelPresent: Check<ThreatModelFacts> = {
  id: 'threat-model/present',
  title: 'A threat model is kept with the code',
  severity: 'medium',
  remediation:
    'Keep the threat model beside the code (docs/threat-model.md, an OWASP Threat Dragon model, Threagile or pytm): components and data flows, the threats with their ratings, and the mitigation and test for each.',
  evaluate(facts) {
    const substantive = facts.files.filter((file) => file.substantive);
    if (substantive.length > 0) {
      const evidence: Evidence[] = substantive.map((file) => ({
        kind: 'file',
        path: file.path,
        note: `${file.format}${file.note ? `; ${file.note}` : ''}`,
      }));
      return passed(this.id, `threat model in ${substantive.map((file) => file.path).join(', ')}`, evidence);
    }
    if (facts.files.length > 0) {
      return failed(
        this.id,
        `${facts.files.length} threat-model file(s), none with threats and mitigations`,
        facts.files.map((file) => ({ kind: 'file', path: file.path, note: file.note ?? file.format })),
        facts.files.map((file) =>
          findingOf(this, `${file.path}: ${file.note ?? 'not a threat model'}.`, {
            location: { path: file.path },
            key: file.path,
          }),
        ),
      );
    }
    return failed(
      this.id,
      'no threat model in the repository',
      [{ kind: 'absence', lookedFor, in: 'working tree' }],
      [findingOf(this, 'The repository keeps no threat model.')],
    );
  },
};
