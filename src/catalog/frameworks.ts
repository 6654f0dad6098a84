/**
 * The three frameworks the catalog maps to, with the short names of their items, so that reports
 * can say what `8.25` or `PW.7.2` is and tests can reject ids that do not exist.
 */

export const frameworks = ['iso27001', 'ssdf', 'ncsc'] as const;
export type Framework = (typeof frameworks)[number];

export const frameworkNames: Readonly<Record<Framework, string>> = {
  iso27001: 'ISO/IEC 27001:2022 Annex A',
  ssdf: 'NIST SSDF v1.1 (SP 800-218)',
  ncsc: 'NCSC Cloud Security Principle 7 goals',
};

/** ISO/IEC 27001:2022 Annex A controls, by number. */
export const isoAnnexAControls: Readonly<Record<string, string>> = {
  '5.1': 'Policies for information security',
  '5.2': 'Information security roles and responsibilities',
  '5.3': 'Segregation of duties',
  '5.4': 'Management responsibilities',
  '5.5': 'Contact with authorities',
  '5.6': 'Contact with special interest groups',
  '5.7': 'Threat intelligence',
  '5.8': 'Information security in project management',
  '5.9': 'Inventory of information and other associated assets',
  '5.10': 'Acceptable use of information and other associated assets',
  '5.11': 'Return of assets',
  '5.12': 'Classification of information',
  '5.13': 'Labelling of information',
  '5.14': 'Information transfer',
  '5.15': 'Access control',
  '5.16': 'Identity management',
  '5.17': 'Authentication information',
  '5.18': 'Access rights',
  '5.19': 'Information security in supplier relationships',
  '5.20': 'Addressing information security within supplier agreements',
  '5.21': 'Managing information security in the ICT supply chain',
  '5.22': 'Monitoring, review and change management of supplier services',
  '5.23': 'Information security for use of cloud services',
  '5.24': 'Information security incident management planning and preparation',
  '5.25': 'Assessment and decision on information security events',
  '5.26': 'Response to information security incidents',
  '5.27': 'Learning from information security incidents',
  '5.28': 'Collection of evidence',
  '5.29': 'Information security during disruption',
  '5.30': 'ICT readiness for business continuity',
  '5.31': 'Legal, statutory, regulatory and contractual requirements',
  '5.32': 'Intellectual property rights',
  '5.33': 'Protection of records',
  '5.34': 'Privacy and protection of PII',
  '5.35': 'Independent review of information security',
  '5.36': 'Compliance with policies, rules and standards for information security',
  '5.37': 'Documented operating procedures',
  '6.1': 'Screening',
  '6.2': 'Terms and conditions of employment',
  '6.3': 'Information security awareness, education and training',
  '6.4': 'Disciplinary process',
  '6.5': 'Responsibilities after termination or change of employment',
  '6.6': 'Confidentiality or non-disclosure agreements',
  '6.7': 'Remote working',
  '6.8': 'Information security event reporting',
  '7.1': 'Physical security perimeters',
  '7.2': 'Physical entry',
  '7.3': 'Securing offices, rooms and facilities',
  '7.4': 'Physical security monitoring',
  '7.5': 'Protecting against physical and environmental threats',
  '7.6': 'Working in secure areas',
  '7.7': 'Clear desk and clear screen',
  '7.8': 'Equipment siting and protection',
  '7.9': 'Security of assets off-premises',
  '7.10': 'Storage media',
  '7.11': 'Supporting utilities',
  '7.12': 'Cabling security',
  '7.13': 'Equipment maintenance',
  '7.14': 'Secure disposal or re-use of equipment',
  '8.1': 'User endpoint devices',
  '8.2': 'Privileged access rights',
  '8.3': 'Information access restriction',
  '8.4': 'Access to source code',
  '8.5': 'Secure authentication',
  '8.6': 'Capacity management',
  '8.7': 'Protection against malware',
  '8.8': 'Management of technical vulnerabilities',
  '8.9': 'Configuration management',
  '8.10': 'Information deletion',
  '8.11': 'Data masking',
  '8.12': 'Data leakage prevention',
  '8.13': 'Information backup',
  '8.14': 'Redundancy of information processing facilities',
  '8.15': 'Logging',
  '8.16': 'Monitoring activities',
  '8.17': 'Clock synchronization',
  '8.18': 'Use of privileged utility programs',
  '8.19': 'Installation of software on operational systems',
  '8.20': 'Networks security',
  '8.21': 'Security of network services',
  '8.22': 'Segregation of networks',
  '8.23': 'Web filtering',
  '8.24': 'Use of cryptography',
  '8.25': 'Secure development life cycle',
  '8.26': 'Application security requirements',
  '8.27': 'Secure system architecture and engineering principles',
  '8.28': 'Secure coding',
  '8.29': 'Security testing in development and acceptance',
  '8.30': 'Outsourced development',
  '8.31': 'Separation of development, test and production environments',
  '8.32': 'Change management',
  '8.33': 'Test information',
  '8.34': 'Protection of information systems during audit testing',
};

/**
 * The Annex A controls a secure-development catalog must cover; a missing one is a coverage gap.
 * They are the ones the two source documents speak to directly.
 */
export const requiredIsoControls: readonly string[] = [
  '5.19',
  '5.20',
  '5.21',
  '5.22',
  '5.23',
  '6.3',
  '8.4',
  '8.8',
  '8.9',
  '8.15',
  '8.25',
  '8.26',
  '8.27',
  '8.28',
  '8.29',
  '8.30',
  '8.31',
  '8.32',
];

/** NIST SP 800-218 (SSDF) v1.1 tasks, with short names of our own. */
export const ssdfTasks: Readonly<Record<string, string>> = {
  'PO.1.1': 'Security requirements for development infrastructure and processes',
  'PO.1.2': 'Security requirements for the software',
  'PO.1.3': 'Requirements communicated to third-party suppliers',
  'PO.2.1': 'SDLC roles and responsibilities',
  'PO.2.2': 'Role-based secure development training',
  'PO.2.3': 'Management commitment to secure development',
  'PO.3.1': 'Toolchain requirements',
  'PO.3.2': 'Tools and toolchains deployed and run securely',
  'PO.3.3': 'Tools generate evidence artefacts',
  'PO.4.1': 'Criteria for software security checks',
  'PO.4.2': 'Information gathered to support the criteria',
  'PO.5.1': 'Development environments separated and protected',
  'PO.5.2': 'Development endpoints secured and hardened',
  'PS.1.1': 'All forms of code stored with least privilege',
  'PS.2.1': 'Integrity verification information for releases',
  'PS.3.1': 'Release files archived securely',
  'PS.3.2': 'Provenance data (SBOM) per release',
  'PW.1.1': 'Risk modelling (threat modelling)',
  'PW.1.2': 'Security requirements, risks and design decisions tracked',
  'PW.1.3': 'Standard security features and services used',
  'PW.2.1': 'Design reviewed against security requirements',
  'PW.4.1': 'Well-secured third-party components acquired and maintained',
  'PW.4.2': 'Well-secured in-house components',
  'PW.4.4': 'Third-party components verified against requirements',
  'PW.5.1': 'Secure coding practices',
  'PW.6.1': 'Build tools with security features',
  'PW.6.2': 'Approved compiler and build configurations',
  'PW.7.1': 'Code review and analysis approach decided',
  'PW.7.2': 'Code review and analysis performed, issues triaged',
  'PW.8.1': 'Executable testing approach decided',
  'PW.8.2': 'Executable testing performed, issues triaged',
  'PW.9.1': 'Secure default settings defined',
  'PW.9.2': 'Secure defaults implemented and documented',
  'RV.1.1': 'Vulnerability information gathered and investigated',
  'RV.1.2': 'Code reviewed and tested for undetected vulnerabilities',
  'RV.1.3': 'Vulnerability disclosure and remediation policy',
  'RV.2.1': 'Vulnerabilities analysed for risk',
  'RV.2.2': 'Risk responses planned and implemented',
  'RV.3.1': 'Root causes analysed',
  'RV.3.2': 'Root causes analysed over time for patterns',
  'RV.3.3': 'Similar vulnerabilities sought and fixed proactively',
  'RV.3.4': 'SDLC updated to prevent recurrence',
};

/** The eight goals of NCSC Cloud Security Principle 7, in the document's order, in our words. */
export const ncscGoals: Readonly<Record<string, string>> = {
  'goal-1': 'Development lifecycle follows secure development guidance, matched to data sensitivity',
  'goal-2': 'Secure development culture: training, review of all deployed changes, curated libraries',
  'goal-3': 'Automated integration and deployment enforce security and leave an audit trail',
  'goal-4': 'Production is separated from test and development',
  'goal-5': 'Supply chain of internal and external libraries risk-managed; only supported software',
  'goal-6': 'Advisories for external software monitored; security fixes applied promptly',
  'goal-7': 'Configuration and secrets management protect integrity from development to deployment',
  'goal-8': 'Services maintained over time and new threats responded to',
};

/** Every known item of a framework, by id, with its short name. */
export function frameworkItems(framework: Framework): Readonly<Record<string, string>> {
  if (framework === 'iso27001') return isoAnnexAControls;
  if (framework === 'ssdf') return ssdfTasks;
  return ncscGoals;
}

/** The items whose absence from the catalog is a gap; the SSDF has none, it is mapped where it fits. */
export function requiredItems(framework: Framework): readonly string[] {
  if (framework === 'iso27001') return requiredIsoControls;
  if (framework === 'ncsc') return Object.keys(ncscGoals);
  return [];
}

/**
 * Orders framework item ids the way the frameworks list them: groups in a fixed order (SSDF
 * PO, PS, PW, RV), then each dotted number numerically, so that 5.9 comes before 5.10.
 */
export function compareItemIds(left: string, right: string): number {
  const leftParts = itemSortKey(left);
  const rightParts = itemSortKey(right);
  const length = Math.max(leftParts.length, rightParts.length);
  for (let index = 0; index < length; index++) {
    const difference = (leftParts[index] ?? -1) - (rightParts[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

const ssdfGroupOrder = ['PO', 'PS', 'PW', 'RV'];

function itemSortKey(id: string): number[] {
  const parts = id.replace(/^goal-/, '').split('.');
  return parts.map((part) => {
    const group = ssdfGroupOrder.indexOf(part);
    if (group >= 0) return group;
    const number = Number.parseInt(part, 10);
    return Number.isNaN(number) ? Number.MAX_SAFE_INTEGER : number;
  });
}
