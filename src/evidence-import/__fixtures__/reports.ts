/**
 * Small reports in the shapes the tools write (field names and nesting as CodeQL, Semgrep, ZAP,
 * testssl.sh and Cobertura writers produce them), built in code so each test can vary one part.
 * The SARIF ones are validated against the official schema by the conformance test.
 */

export const headPlaceholder = '0000000000000000000000000000000000000000';

/** CodeQL's shape: rules with tags `external/cwe/cwe-NNN` and a default level; results by ruleIndex. */
export function codeqlSarif(options: { commit?: string; startTime?: string; errors?: number; notes?: number; suppressed?: number; incomplete?: boolean } = {}): object {
  const results: object[] = [];
  for (let index = 0; index < (options.errors ?? 0); index++) {
    results.push({
      ruleId: 'js/sql-injection',
      ruleIndex: 0,
      message: { text: 'This query string depends on a user-provided value.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 10 + index } } }],
    });
  }
  for (let index = 0; index < (options.notes ?? 0); index++) {
    results.push({
      ruleId: 'js/unused-local-variable',
      ruleIndex: 1,
      message: { text: 'Unused variable.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/app.js' }, region: { startLine: 3 } } }],
    });
  }
  for (let index = 0; index < (options.suppressed ?? 0); index++) {
    results.push({
      ruleId: 'js/sql-injection',
      ruleIndex: 0,
      message: { text: 'Suppressed after review.' },
      suppressions: [{ kind: 'inSource' }],
    });
  }
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'CodeQL',
        semanticVersion: '2.19.0',
        rules: [
          {
            id: 'js/sql-injection',
            name: 'js/sql-injection',
            shortDescription: { text: 'Database query built from user-controlled sources' },
            defaultConfiguration: { level: 'error' },
            properties: { tags: ['security', 'external/cwe/cwe-089'], 'security-severity': '8.8' },
          },
          {
            id: 'js/unused-local-variable',
            name: 'js/unused-local-variable',
            shortDescription: { text: 'Unused variable' },
            defaultConfiguration: { level: 'note' },
            properties: { tags: ['maintainability'] },
          },
        ],
      },
    },
    invocations: [
      {
        executionSuccessful: options.incomplete !== true,
        startTimeUtc: options.startTime ?? '2026-05-30T10:00:00.000Z',
        endTimeUtc: '2026-05-30T10:05:00.000Z',
      },
    ],
    results,
  };
  if (options.commit !== undefined) {
    run['versionControlProvenance'] = [
      { repositoryUri: 'https://example.com/acme/app', revisionId: options.commit, branch: 'main' },
    ];
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

/** Semgrep's shape: rule ids as dotted paths, CWE tags spelled out, levels on each result. */
export function semgrepSarif(options: { level: 'error' | 'warning' | 'note'; cwe: string }): object {
  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Semgrep OSS',
            semanticVersion: '1.90.0',
            rules: [
              {
                id: 'python.django.security.weak-hash',
                name: 'python.django.security.weak-hash',
                shortDescription: { text: 'Weak hash' },
                defaultConfiguration: { level: options.level },
                properties: { tags: [options.cwe, 'OWASP-A02:2021 - Cryptographic Failures', 'security'] },
              },
            ],
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
        results: [
          {
            ruleId: 'python.django.security.weak-hash',
            level: options.level,
            message: { text: 'MD5 is a weak hash.' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'app/auth.py' }, region: { startLine: 4 } } }],
          },
        ],
      },
    ],
  };
}

/** ZAP's "Traditional JSON" report. */
export function zapReport(options: { high?: number; generated?: string } = {}): object {
  const alerts: object[] = [
    {
      pluginid: '10038',
      alertRef: '10038-1',
      alert: 'Content Security Policy (CSP) Header Not Set',
      name: 'Content Security Policy (CSP) Header Not Set',
      riskcode: '2',
      confidence: '3',
      riskdesc: 'Medium (High)',
      cweid: '693',
      wascid: '15',
      count: '3',
      instances: [{ uri: 'https://staging.example.com/', method: 'GET' }],
    },
    {
      pluginid: '10096',
      alert: 'Timestamp Disclosure - Unix',
      riskcode: '0',
      confidence: '1',
      cweid: '200',
      count: '1',
      instances: [],
    },
  ];
  if ((options.high ?? 0) > 0) {
    alerts.push({
      pluginid: '40012',
      alert: 'Cross Site Scripting (Reflected)',
      name: 'Cross Site Scripting (Reflected)',
      riskcode: '3',
      confidence: '2',
      riskdesc: 'High (Medium)',
      cweid: '79',
      count: String(options.high),
      instances: [{ uri: 'https://staging.example.com/search?q=x', method: 'GET', param: 'q' }],
    });
  }
  return {
    '@programName': 'ZAP',
    '@version': '2.15.0',
    '@generated': options.generated ?? 'Sat, 30 May 2026 09:00:00',
    site: [{ '@name': 'https://staging.example.com', '@host': 'staging.example.com', '@port': '443', '@ssl': 'true', alerts }],
  };
}

/** testssl.sh --jsonfile (flat). */
export function testsslFlat(options: { high?: boolean } = {}): object[] {
  const entries: object[] = [
    { id: 'engine_problem', severity: 'WARN', finding: 'No engine or GOST support via engine with your ./bin/openssl.Linux.x86_64' },
    { id: 'service', ip: 'staging.example.com/192.0.2.10', port: '443', severity: 'INFO', finding: 'HTTP' },
    { id: 'TLS1_3', ip: 'staging.example.com/192.0.2.10', port: '443', severity: 'OK', finding: 'offered with final' },
    { id: 'cipherlist_3DES_IDEA', ip: 'staging.example.com/192.0.2.10', port: '443', severity: 'LOW', cwe: 'CWE-310', finding: 'offered' },
  ];
  if (options.high === true) {
    entries.push({
      id: 'SSLv3',
      ip: 'staging.example.com/192.0.2.10',
      port: '443',
      severity: 'HIGH',
      cve: 'CVE-2014-3566',
      cwe: 'CWE-327',
      finding: 'offered',
    });
  }
  return entries;
}

/** testssl.sh --jsonfile-pretty. */
export function testsslPretty(options: { high?: boolean } = {}): object {
  return {
    Invocation: 'testssl.sh --jsonfile-pretty tls.json staging.example.com',
    at: 'scanner:/usr/bin/openssl',
    version: '3.2.0 ',
    openssl: 'OpenSSL 3.0.13 from Jan 30 2024',
    startTime: '1780131600',
    scanResult: [
      {
        targetHost: 'staging.example.com',
        ip: '192.0.2.10',
        port: '443',
        service: 'HTTP',
        protocols: testsslFlat(options).slice(2),
        vulnerabilities: [{ id: 'heartbleed', severity: 'OK', cve: 'CVE-2014-0160', finding: 'not vulnerable' }],
      },
    ],
    scanTime: 61,
  };
}

/** A Cobertura report as coverage.py writes it (timestamp in milliseconds). */
export function coberturaReport(): string {
  return `<?xml version="1.0" ?>
<coverage version="7.6.1" timestamp="1780131600000" lines-valid="200" lines-covered="150" line-rate="0.75" branches-valid="40" branches-covered="30" branch-rate="0.75" complexity="0">
\t<!-- Generated by coverage.py: https://coverage.readthedocs.io/en/7.6.1 -->
\t<sources><source>/src/app</source></sources>
\t<packages>
\t\t<package name="." line-rate="0.75" branch-rate="0.75" complexity="0">
\t\t\t<classes>
\t\t\t\t<class name="app.py" filename="app.py" complexity="0" line-rate="0.75" branch-rate="0.75">
\t\t\t\t\t<methods/>
\t\t\t\t\t<lines><line number="1" hits="1"/><line number="2" hits="0"/></lines>
\t\t\t\t</class>
\t\t\t</classes>
\t\t</package>
\t</packages>
</coverage>
`;
}
