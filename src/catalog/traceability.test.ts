import { describe, expect, it } from 'vitest';
import { collectors } from '../collectors/index.js';
import { CatalogError } from './errors.js';
import { isoAnnexAControls, ncscGoals, requiredIsoControls, ssdfTasks } from './frameworks.js';
import { frameworkCoverage, loadCatalog, parseCatalog } from './load.js';
import type { Control } from './schema.js';

/**
 * Every requirement-bearing passage of the two source documents, with a stable id. A passage
 * missing here is a requirement no one traced; an id here that no control cites is a requirement
 * the catalog dropped. Ids never change once published: auditors cite them.
 */
const sourceItems = {
  // NCSC Cloud Security Principle 7 "Secure development"
  'ncsc-p7/principle':
    'the principle: services designed, developed and deployed to minimise and mitigate threats',
  'ncsc-p7/goal-1': 'goal 1: lifecycle in line with secure development guidance, matched to data sensitivity',
  'ncsc-p7/goal-2':
    'goal 2: culture of secure development: training, review of all deployed changes, curated libraries',
  'ncsc-p7/goal-3':
    'goal 3: automated integration and deployment enforcing security, consistency and an audit trail',
  'ncsc-p7/goal-4': 'goal 4: production clearly separated from test and development',
  'ncsc-p7/goal-5':
    'goal 5: supply chain of internal and third-party libraries risk-managed; only supported software',
  'ncsc-p7/goal-6': 'goal 6: external software advisories monitored; security fixes pulled in promptly',
  'ncsc-p7/goal-7':
    'goal 7: configuration and secrets management keep integrity through dev, test, deployment',
  'ncsc-p7/goal-8': 'goal 8: services maintained over time; response to new and evolving threats',
  'ncsc-p7/impl-design':
    'implementation: security throughout design; attacks evaluated, mitigations designed; balance',
  'ncsc-p7/automation':
    'automation: automated build pipeline and infrastructure as code, enforcement, audit trail',
  'ncsc-p7/trace-to-source':
    'automation: all deployed software traceable to the source code that produced it',
  'ncsc-p7/standards-certification': 'standards and certification: ISO/IEC 27034, ISO/IEC 30111, CSA CCM',
  'ncsc-p7/third-party-code':
    'third-party code: suppliers of services, components and development practise securely',
  'ncsc-p7/third-party-dependencies':
    'third-party dependencies tracked, risk-managed, updated, fixed, maintained',

  // ISO 27001 Secure Development Policy: preamble
  'iso-sdp/approval':
    'management has developed and approved the policy in line with ISO 27001 and business needs',
  'iso-sdp/scope': 'the policy applies to all software development and administration within the ISMS scope',
  'iso-sdp/adherence':
    'all listed roles (employees, contractors, third parties, cloud providers) adhere to the policy',
  'iso-sdp/communication/employees':
    'communicated to employees and agency staff via training and after changes',
  'iso-sdp/communication/contractors':
    'contractors and third parties given a copy when contracted, re-issued on change',
  'iso-sdp/disciplinary': 'breaches handled through the HR disciplinary process or the service contract',
  'iso-sdp/annual-review':
    'management reviews the policy annually or after an independent ISMS review finding',
  'iso-sdp/separation-of-duties': 'separate duties and responsibilities assigned to guard against misuse',
  'iso-sdp/raise-concerns':
    'developers raise duty conflicts or misuse at once with line manager or ISMS Manager',
  // 1. Maintaining security awareness
  'iso-sdp/1/awareness':
    'stay informed on secure coding through feeds, blogs, forums, publications (OWASP Top 10)',
  'iso-sdp/1/continuous-learning':
    'regularly review security alerts for impact on our environment and applications',
  'iso-sdp/1/training': 'annual formal security awareness training, plus supplementary learning',
  'iso-sdp/1/documentation': 'records of external security training submitted to HR',
  'iso-sdp/1/collaboration': 'open communication with service and technology providers about vulnerabilities',
  'iso-sdp/1/data-handling': 'review and adhere to the Data Handling & Retention Guidelines',
  // 2. Secure development approach
  'iso-sdp/2/sdlc': 'security embedded in the SDLC whatever the methodology',
  // 2.1 Defining requirements
  'iso-sdp/2.1/security-requirements': 'security considerations part of the business requirements',
  'iso-sdp/2.1/information-security-policy': 'Information Systems Security Policy requirements adhered to',
  'iso-sdp/2.1/data-protection': 'data protection principles and retention requirements adhered to',
  'iso-sdp/2.1/asset-register': 'impacted data and assets identified, in the Critical Asset Register, valued',
  'iso-sdp/2.1/change-control':
    'Change Control Procedure for normal, major, emergency changes; risk, DPA, legal',
  'iso-sdp/2.1/standard-changes': 'standard changes have peer review and acceptance controls in the workflow',
  'iso-sdp/2.1/availability-capacity': 'availability and capacity requirements considered',
  'iso-sdp/2.1/security-sprints': 'security sprints considered where necessary',
  // 2.2 Security in design, and its secure engineering principles
  'iso-sdp/2.2/security-in-design': 'security requirements included in the design stage',
  'iso-sdp/2.2/principles-training': 'developers trained to understand and implement the principles',
  'iso-sdp/2.2/data-validation': 'principle: data validation (input validation, output encoding)',
  'iso-sdp/2.2/data-minimisation': 'principle: data minimisation, logs included',
  'iso-sdp/2.2/authentication':
    'principle: authentication, password rules, customer account management tools',
  'iso-sdp/2.2/authorisation':
    'principle: authorisation, periodic re-validation, customer access management tools',
  'iso-sdp/2.2/secure-by-default': 'principle: secure by default, opt-in sharing',
  'iso-sdp/2.2/session-management': 'principle: session management (cookies, expiry, logout, referrer)',
  'iso-sdp/2.2/fail-secure': 'principle: fail secure',
  'iso-sdp/2.2/cryptography':
    'principle: cryptography per policy or FIPS 140-2; customer crypto and masking tools',
  'iso-sdp/2.2/error-handling': 'principle: secure error handling',
  'iso-sdp/2.2/logging': 'principle: logging of relevant events, logs protected',
  'iso-sdp/2.2/file-management': 'principle: file management checks',
  'iso-sdp/2.2/threat-modelling': 'principle: threat modelling, informing security and privacy testing',
  'iso-sdp/2.2/data-lifecycle': 'principle: data lifecycle protection from collection to destruction',
  // 2.3 Secure development
  'iso-sdp/2.3/implement-requirements': 'design-stage security requirements implemented in development',
  'iso-sdp/2.3/protect-environment': 'security controls protect the development process and environment',
  'iso-sdp/2.3/secure-architecture': 'secure application, development and system architecture',
  'iso-sdp/2.3/change-control': 'changes controlled by the Change Control Procedure',
  'iso-sdp/2.3/approved-procedures':
    'approved procedures: workflows, secure code review, acceptance testing, training',
  'iso-sdp/2.3/third-party-modification': 'third-party code not modified unless necessary',
  'iso-sdp/2.3/logging-monitoring': 'logging and monitoring per the Information Systems Security Policy',
  'iso-sdp/2.3/backup': 'configuration, code and test data identified and backed up',
  'iso-sdp/2.3/source-code-access': 'access to source code, development tools and libraries restricted',
  'iso-sdp/2.3/escrow': 'source code held in escrow where required',
  'iso-sdp/2.3/separate-environments': 'development, test and production environments separated',
  'iso-sdp/2.3/test-data': 'development and test data sanitised or protected',
  // 2.4 Testing
  'iso-sdp/2.4/security-testing': 'security testing planned and carried out in the testing stage',
  'iso-sdp/2.4/peer-review': 'secure code review by peers',
  'iso-sdp/2.4/threat-model-tests': 'security testing identified by threat modelling carried out',
  'iso-sdp/2.4/vulnerability-scanning': 'vulnerability scanning (known vulnerabilities, ports, TLS)',
  'iso-sdp/2.4/penetration-testing': 'penetration testing bi-annually, results and report to the CTO',
  'iso-sdp/2.4/pen-test-remediation':
    'CTO reviews findings, makes a remediation plan, oversees rectification',
  'iso-sdp/2.4/acceptance-testing': 'acceptance testing of new or modified systems per change control',
  // 2.5 Deployment
  'iso-sdp/2.5/peer-review-before-deploy': 'secure code review by peers done before deployment',
  'iso-sdp/2.5/pipeline-procedures':
    'approved procedures control the deployment pipeline (approval, verification)',
  'iso-sdp/2.5/trusted-sources': 'deployments only from trusted code, not from untrusted sources',
  'iso-sdp/2.5/privileged-credentials': 'elevated-privilege credentials protected from exposure and misuse',
  'iso-sdp/2.5/access-control': 'access controls per the Information Systems Security Policy implemented',
  'iso-sdp/2.5/deployment-timing': 'no deployments just before weekends or leave',
  'iso-sdp/2.5/data-impact-communication': 'deployments affecting data security documented and communicated',
  // 3. Outsourced development
  'iso-sdp/3/quality-security': 'outsourced software meets our quality and security requirements',
  'iso-sdp/3/policy-copy': 'contractors and third parties issued a copy of the policy when contracted',
  'iso-sdp/3/supplier-due-diligence': 'third parties managed under the Supplier Due Diligence Policy',
} as const;

/** Check ids that exist or are being built in this release; the lead will switch this to the registry. */
/** Every check the registered collectors provide: the catalog may only name these as `checks`. */
const availableCheckIds = new Set(
  Object.values(collectors).flatMap((collector) => collector.checks.map((check) => check.id)),
);

/**
 * Controls without an SSDF mapping, and why. The SSDF is about producing software; these
 * requirements are about people management or release calendars, which it does not address.
 */
const withoutSsdf: Readonly<Record<string, string>> = {
  'GOV-06': 'sanctions for breaching the policy: the SSDF has no task on discipline',
  'DEP-04': 'deployment timing around weekends and leave: the SSDF has no task on when to deploy',
  'DEP-05': 'telling users about changes to data processing: the SSDF has no task on user transparency',
};

const catalog = loadCatalog();
const controls: readonly Control[] = catalog.controls;
const cited = new Set(controls.flatMap((control) => control.sources.map((source) => source.item)));

describe('traceability to the source documents', () => {
  it('cites every source item from at least one control', () => {
    const untraced = Object.keys(sourceItems).filter((item) => !cited.has(item));
    expect(untraced).toEqual([]);
  });

  it('cites only source items that exist (no typos)', () => {
    const known = new Set(Object.keys(sourceItems));
    const unknown = [...cited].filter((item) => !known.has(item));
    expect(unknown).toEqual([]);
  });

  it('names the right document for each cited item', () => {
    const mismatched = controls.flatMap((control) =>
      control.sources
        .filter((source) => !source.item.startsWith(`${source.document}/`))
        .map((source) => `${control.id}: ${source.document} vs ${source.item}`),
    );
    expect(mismatched).toEqual([]);
  });

  it('covers all eight NCSC goals, each as a source item', () => {
    for (let goal = 1; goal <= 8; goal++) expect(cited.has(`ncsc-p7/goal-${goal}`)).toBe(true);
  });
});

describe('control ids and fields', () => {
  it('has unique ids', () => {
    const ids = controls.map((control) => control.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses one id prefix per area, numbered from 01 without gaps', () => {
    const prefixes = new Map<string, string>();
    const numbers = new Map<string, number[]>();
    for (const control of controls) {
      const [prefix = '', number = ''] = control.id.split('-');
      expect(prefixes.get(control.area) ?? prefix).toBe(prefix);
      prefixes.set(control.area, prefix);
      numbers.set(prefix, [...(numbers.get(prefix) ?? []), Number(number)]);
    }
    expect(new Set(prefixes.values()).size).toBe(prefixes.size);
    for (const [prefix, list] of numbers) {
      expect(list, prefix).toEqual(list.map((_, index) => index + 1));
    }
  });

  it('writes every requirement as at least one full sentence of our own', () => {
    for (const control of controls) {
      expect(control.requirement.length, control.id).toBeGreaterThanOrEqual(60);
      expect(control.requirement.trim().endsWith('.'), control.id).toBe(true);
    }
  });

  it('has a catalog version like 2026.11.0', () => {
    expect(catalog.version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
  });
});

describe('framework mappings', () => {
  it('maps every control to ISO 27001, the SSDF and NCSC, with justified exceptions', () => {
    for (const control of controls) {
      expect(control.mappings.iso27001.length, control.id).toBeGreaterThan(0);
      expect(control.mappings.ncsc.length, control.id).toBeGreaterThan(0);
      if (withoutSsdf[control.id] === undefined)
        expect(control.mappings.ssdf.length, control.id).toBeGreaterThan(0);
      else expect(control.mappings.ssdf, control.id).toEqual([]);
    }
  });

  it('uses only real ISO/IEC 27001:2022 Annex A numbers and SSDF v1.1 tasks', () => {
    const unknown = controls.flatMap((control) => [
      ...control.mappings.iso27001
        .filter((id) => isoAnnexAControls[id] === undefined)
        .map((id) => `${control.id}: ${id}`),
      ...control.mappings.ssdf
        .filter((id) => ssdfTasks[id] === undefined)
        .map((id) => `${control.id}: ${id}`),
      ...control.mappings.ncsc
        .filter((id) => ncscGoals[id] === undefined)
        .map((id) => `${control.id}: ${id}`),
    ]);
    expect(unknown).toEqual([]);
  });

  it('requires the secure-development Annex A controls, and the catalog covers them all', () => {
    // The list itself is production data (frameworks.ts): each entry must be a real Annex A
    // number, named once, and the catalog must cite every one of them.
    expect(requiredIsoControls.filter((id) => isoAnnexAControls[id] === undefined)).toEqual([]);
    expect(new Set(requiredIsoControls).size).toBe(requiredIsoControls.length);
    // The list is not restated here (it lives in frameworks.ts); dropping an entry still fails.
    expect(requiredIsoControls).toHaveLength(18);
    expect(requiredIsoControls).toEqual(expect.arrayContaining(['8.25', '8.28', '8.29', '8.32']));
    expect(frameworkCoverage(catalog, 'iso27001').gaps).toEqual([]);
    expect(frameworkCoverage(catalog, 'ncsc').gaps).toEqual([]);
  });

  it('maps each NCSC goal to the control that cites it as a source', () => {
    for (const control of controls) {
      for (const source of control.sources) {
        const goal = /^ncsc-p7\/(goal-[1-8])$/.exec(source.item)?.[1];
        if (goal) expect(control.mappings.ncsc, control.id).toContain(goal);
      }
    }
  });
});

describe('assessment', () => {
  it('names only checks that exist', () => {
    const unknown = controls.flatMap((control) =>
      control.assessment.checks
        .filter((id) => !availableCheckIds.has(id))
        .map((id) => `${control.id}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });

  it('never lists a check as both available and planned', () => {
    for (const control of controls) {
      const planned = control.assessment.planned.filter((id) => availableCheckIds.has(id));
      expect(planned, control.id).toEqual([]);
    }
  });

  it('uses every available check in at least one control', () => {
    const used = new Set(controls.flatMap((control) => control.assessment.checks));
    expect([...availableCheckIds].filter((id) => !used.has(id))).toEqual([]);
  });

  it('sets the cadences the policy names, and no others', () => {
    const cadences = Object.fromEntries(
      controls
        .filter((control) => control.assessment.cadenceDays !== undefined)
        .map((control) => [`${control.assessment.record}`, control.assessment.cadenceDays]),
    );
    expect(cadences).toEqual({ training: 365, 'policy-review': 365, 'pen-test': 182 });
  });

  it('assesses the annual training, annual review and pen test by the right record', () => {
    const byId = new Map(controls.map((control) => [control.id, control]));
    expect(byId.get('AWR-01')?.assessment).toMatchObject({ record: 'training', cadenceDays: 365 });
    expect(byId.get('GOV-07')?.assessment).toMatchObject({ record: 'policy-review', cadenceDays: 365 });
    expect(byId.get('TST-04')?.assessment).toMatchObject({ record: 'pen-test', cadenceDays: 182 });
  });
});

describe('parseCatalog', () => {
  const valid = `version: '1'
controls:
  - id: TST-01
    title: A valid control
    area: testing
    severity: low
    requirement: Something precise enough to be checked by someone.
    sources: [{ document: iso-sdp, item: iso-sdp/2.4/peer-review }]
    mappings: { iso27001: ['8.29'], ssdf: [PW.7.2], ncsc: [goal-2] }
    assessment: { record: attestation }
`;

  function errorOf(text: string): CatalogError {
    try {
      parseCatalog(text, 'bad.yaml');
    } catch (error) {
      if (error instanceof CatalogError) return error;
      throw error;
    }
    throw new Error('expected a CatalogError');
  }

  it('accepts a valid catalog and fills defaults', () => {
    const parsed = parseCatalog(valid, 'ok.yaml');
    expect(parsed.controls[0]?.assessment.checks).toEqual([]);
  });

  it('reports an invalid value with the file, its line and its key', () => {
    const error = errorOf(valid.replace("iso27001: ['8.29']", 'iso27001: [8.29]'));
    expect(error.code).toBe('CATALOG_INVALID');
    expect(error.location).toEqual({ path: 'bad.yaml', line: 9 });
    expect(error.key).toBe('controls[0].mappings.iso27001[0]');
    expect(error.message).toContain('TST-01');
  });

  it('points an unknown key at its own line', () => {
    const error = errorOf(valid.replace('    severity: low\n', '    severity: low\n    owner: someone\n'));
    expect(error.code).toBe('CATALOG_INVALID');
    expect(error.location?.line).toBe(7);
    expect(error.key).toBe('controls[0].owner');
  });

  it('points a missing key at the control that lacks it', () => {
    const error = errorOf(valid.replace('    title: A valid control\n', ''));
    expect(error.code).toBe('CATALOG_INVALID');
    expect(error.location?.line).toBe(3);
    expect(error.key).toBe('controls[0].title');
  });

  it('reports broken YAML as a syntax error with a line', () => {
    const error = errorOf(valid.replace('    area: testing\n', '    area: [testing\n'));
    expect(error.code).toBe('CATALOG_SYNTAX');
    expect(error.location?.line).toBeGreaterThanOrEqual(5);
  });

  it('rejects a duplicate id at the second occurrence', () => {
    const twice = valid + valid.split('controls:\n')[1];
    const error = errorOf(twice);
    expect(error.code).toBe('CATALOG_DUPLICATE_ID');
    expect(error.location?.line).toBe(11);
  });

  it('refuses YAML aliases', () => {
    const error = errorOf(`${valid}x: &a [1]\ny: *a\n`);
    expect(error.code).toBe('CATALOG_SYNTAX');
  });

  it('returns the same parsed catalog on every load', () => {
    expect(loadCatalog()).toBe(catalog);
  });
});
