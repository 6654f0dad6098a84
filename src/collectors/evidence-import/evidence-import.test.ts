import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeqlSarif, semgrepSarif, zapReport } from '../../evidence-import/__fixtures__/reports.js';
import { importEvidence, parseEvidenceFile } from '../../evidence-import/index.js';
import { type CheckResult, levelOf, RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy, type Policy } from '../../policy/index.js';
import { createSigner, parsePrivateKey } from '../../provenance/index.js';
import { registerSigner } from '../../records/index.js';
import { createStoreAccess, openStore, type Store, type StoreLocation } from '../../store/index.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';
import { evidenceImportCollector } from './index.js';

const now = new Date('2026-06-01T12:00:00Z');

function junit(options: { failures?: number; timestamp?: string }): string {
  const cases = [
    '<testcase classname="src/a.test.ts" name="adds" time="0.01"></testcase>',
    '<testcase classname="src/a.test.ts" name="parses" time="0.01"></testcase>',
  ];
  for (let index = 0; index < (options.failures ?? 0); index++) {
    cases.push(
      `<testcase classname="src/b.test.ts" name="rejects ${index}" time="0.02"><failure message="expected 1 to be 2" type="AssertionError">AssertionError</failure></testcase>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="${cases.length}" failures="${options.failures ?? 0}" errors="0" time="0.5" timestamp="${options.timestamp ?? '2026-06-01T10:00:00.000Z'}">
  <testsuite name="src/a.test.ts" timestamp="${options.timestamp ?? '2026-06-01T10:00:00.000Z'}" hostname="ci" tests="${cases.length}" failures="${options.failures ?? 0}" errors="0" skipped="0" time="0.5">
    ${cases.join('\n    ')}
  </testsuite>
</testsuites>`;
}

function describeEvidenceChecks(name: string, backend: StoreBackend): void {
  describe(`evidence-import collector: ${name}`, () => {
    let location: StoreLocation;
    let repository: TestRepository;
    let head: string;
    const opened: Store[] = [];

    beforeEach(async () => {
      location = await backend.createLocation();
      repository = createTestRepository();
      repository.write({ 'README.md': '# app\n' });
      repository.commit('first');
      repository.write({ 'src/app.js': 'export const a = 1;\n' });
      head = repository.commit('second');
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await backend.removeLocation?.(location);
      repository.remove();
    });

    async function store(): Promise<Store> {
      const opening = await openStore(location, { busyTimeoutMs: 2_000, connectTimeoutMs: 5_000 });
      opened.push(opening);
      return opening;
    }

    async function add(
      content: unknown,
      options: {
        commit?: string;
        fileName?: string;
        at?: Date;
        signer?: ReturnType<typeof createSigner>;
      } = {},
    ): Promise<void> {
      const bytes = Buffer.from(typeof content === 'string' ? content : JSON.stringify(content));
      const fileName = options.fileName ?? 'report';
      await importEvidence(await store(), {
        parsed: parseEvidenceFile(bytes, fileName, 'auto'),
        bytes,
        fileName,
        commit: options.commit ?? head,
        commitSource: options.commit === undefined ? 'head' : 'option',
        now: options.at ?? now,
        ...(options.signer === undefined ? {} : { signer: options.signer }),
      });
    }

    async function results(policy: Policy = defaultPolicy()): Promise<Record<string, CheckResult>> {
      const snapshot = await RepositorySnapshot.open(repository.path);
      const access = createStoreAccess(location);
      try {
        const facts = await evidenceImportCollector.collect(snapshot, policy, { now, store: access });
        return Object.fromEntries(
          evidenceImportCollector.checks.map((check) => [check.id, check.evaluate(facts, policy, { now })]),
        );
      } finally {
        await access.close();
      }
    }

    it('says how to provide evidence when none is imported; fail-only checks stay out of the way', async () => {
      await store();
      const found = await results();
      expect(found['evidence-import/tests-passed']).toMatchObject({
        status: 'unknown',
        summary: 'no test results imported',
      });
      expect(found['evidence-import/tests-passed']?.howToProvide).toContain('shipguard evidence import');
      expect(found['evidence-import/sast-results']?.status).toBe('unknown');
      expect(found['evidence-import/host-scan']?.status).toBe('unknown');
      expect(found['evidence-import/scan-failures']?.status).toBe('not-applicable');
      expect(found['evidence-import/findings-cryptography']?.status).toBe('not-applicable');
    });

    it('passes on test results of the assessed commit, at the declared level, and fails on a failed test', async () => {
      await add(junit({}), { fileName: 'junit.xml' });
      const passing = (await results())['evidence-import/tests-passed'];
      expect(passing).toMatchObject({ status: 'pass' });
      expect(passing?.summary).toContain('2 imported test(s) passed');
      expect(passing?.evidence.map(levelOf)).toEqual(['declared']);

      await add(junit({ failures: 1, timestamp: '2026-06-01T11:00:00.000Z' }), { fileName: 'junit-2.xml' });
      const failing = (await results())['evidence-import/tests-passed'];
      expect(failing?.status).toBe('fail');
      expect(failing?.findings[0]?.message).toContain('rejects 0');
    });

    it('does not pass on test results where every test was skipped', async () => {
      const skipped = junit({}).replaceAll('time="0.01"></testcase>', 'time="0.01"><skipped/></testcase>');
      await add(skipped, { fileName: 'junit.xml' });
      const result = (await results())['evidence-import/tests-passed'];
      expect(result?.status).toBe('unknown');
      expect(result?.summary).toContain('none of the 2 imported test(s) ran (2 skipped)');
    });

    it('does not count results for another commit or older than the policy allows, and says why', async () => {
      const first = repository.git('rev-parse', 'HEAD~1');
      await add(junit({}), { commit: first });
      const otherCommit = (await results())['evidence-import/tests-passed'];
      expect(otherCommit?.status).toBe('unknown');
      expect(otherCommit?.summary).toContain(`is for commit ${first.slice(0, 12)}`);

      await add(junit({ timestamp: '2026-04-01T10:00:00.000Z' }), { fileName: 'old.xml' });
      const stale = (await results())['evidence-import/tests-passed'];
      expect(stale?.status).toBe('unknown');
      expect(stale?.summary).toContain("older than the policy's 30 days");
      const lenient = defaultPolicy();
      lenient.evidence.importMaxAgeDays = 90;
      expect((await results(lenient))['evidence-import/tests-passed']?.status).toBe('pass');
    });

    it('fails static analysis, PIP-03 and the design control its CWE names on an error-level SARIF result', async () => {
      await add(codeqlSarif({ commit: head, errors: 2 }), {
        fileName: 'codeql.sarif',
        commit: 'f'.repeat(40),
      });
      const found = await results();
      expect(found['evidence-import/sast-results']?.status).toBe('fail');
      expect(found['evidence-import/scan-failures']?.status).toBe('fail');
      expect(found['evidence-import/findings-input-validation']).toMatchObject({ status: 'fail' });
      expect(found['evidence-import/findings-input-validation']?.findings[0]?.message).toContain('CWE-89');
      expect(found['evidence-import/findings-cryptography']?.status).toBe('not-applicable');
    });

    it('passes static analysis with only warnings; a SARIF naming another commit does not count', async () => {
      await add(semgrepSarif({ level: 'warning', cwe: 'CWE-327: weak hash' }), { fileName: 'semgrep.sarif' });
      const found = await results();
      expect(found['evidence-import/sast-results']).toMatchObject({ status: 'pass' });
      expect(found['evidence-import/sast-results']?.summary).toContain('1 medium-severity');
      expect(found['evidence-import/findings-cryptography']?.status).toBe('not-applicable');

      const other = await results();
      expect(other['evidence-import/sast-results']?.status).toBe('pass');
      await add(codeqlSarif({ commit: 'e'.repeat(40), errors: 1 }), { fileName: 'other.sarif' });
      // The CodeQL log is about another commit: it neither fails nor passes this one.
      const after = await results();
      expect(after['evidence-import/sast-results']?.status).toBe('pass');
      expect(after['evidence-import/scan-failures']?.status).toBe('not-applicable');
    });

    it('judges scans of the running service by age: a recent ZAP high alert fails, an old one does not count', async () => {
      await add(zapReport({ high: 1, generated: 'Sun, 31 May 2026 09:00:00' }), {
        fileName: 'zap.json',
        commit: repository.git('rev-parse', 'HEAD~1'),
      });
      const found = await results();
      expect(found['evidence-import/host-scan']?.status).toBe('fail');
      expect(found['evidence-import/findings-input-validation']?.status).toBe('fail');

      const older = defaultPolicy();
      older.evidence.importMaxAgeDays = 1;
      await add(zapReport({ generated: 'Mon, 1 Jun 2026 08:00:00' }), { fileName: 'zap-clean.json' });
      expect((await results(older))['evidence-import/host-scan']?.status).toBe('pass');
    });

    it('is signed evidence when a registered person signed the import, and not counted when the signature is forged', async () => {
      const keys = generateKeyPairSync('ed25519');
      const signer = createSigner(
        parsePrivateKey(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      );
      const stranger = createSigner(generateKeyPairSync('ed25519').privateKey);
      const opened = await store();
      await expect(
        importEvidence(opened, {
          parsed: parseEvidenceFile(Buffer.from(junit({})), 'junit.xml', 'junit'),
          bytes: Buffer.from(junit({})),
          fileName: 'junit.xml',
          commit: head,
          commitSource: 'head',
          now,
          signer: stranger,
        }),
      ).rejects.toMatchObject({ code: 'EVIDENCE_SIGNER_UNKNOWN' });
      await registerSigner(opened, {
        person: 'ci-bot',
        publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      });
      await add(junit({}), { fileName: 'junit.xml', signer });
      const signed = (await results())['evidence-import/tests-passed'];
      expect(signed?.status).toBe('pass');
      expect(signed?.evidence.map(levelOf)).toEqual(['signed']);
      expect(JSON.stringify(signed?.evidence)).toContain('signed by ci-bot');

      // A key no longer registered signs nothing: the import is not counted.
      await sql`DELETE FROM record_signers`.execute(opened.db);
      const unregistered = await results();
      expect(unregistered['evidence-import/tests-passed']?.status).toBe('unknown');

      // A row and its ledger entry edited together: the entry no longer hashes to its leaf.
      await registerSigner(opened, {
        person: 'ci-bot',
        publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      });
      expect((await results())['evidence-import/tests-passed']?.status).toBe('pass');
      await sql`UPDATE evidence_imports SET tool = 'edited'`.execute(opened.db);
      await sql`UPDATE ledger_entries SET entry = REPLACE(entry, '"tool":"vitest tests"', '"tool":"edited"')`.execute(
        opened.db,
      );
      const snapshot = await RepositorySnapshot.open(repository.path);
      const access = createStoreAccess(location);
      try {
        await evidenceImportCollector.collect(snapshot, defaultPolicy(), { now, store: access });
      } finally {
        await access.close();
      }
      expect(snapshot.problems.map((problem) => problem.message).join('\n')).toContain(
        'does not match its leaf hash',
      );
    });

    it('counts no row whose ledger entry says something else, and reports it', async () => {
      await add(junit({ failures: 1 }), { fileName: 'junit.xml' });
      const opened = await store();
      await sql`UPDATE evidence_imports SET summary = ${JSON.stringify({ kind: 'tests', tests: 2, failures: 0, errors: 0, skipped: 0, failing: [] })}`.execute(
        opened.db,
      );
      const snapshot = await RepositorySnapshot.open(repository.path);
      const access = createStoreAccess(location);
      try {
        const policy = defaultPolicy();
        const facts = await evidenceImportCollector.collect(snapshot, policy, { now, store: access });
        const check = evidenceImportCollector.checks.find(
          (item) => item.id === 'evidence-import/tests-passed',
        );
        expect(check?.evaluate(facts, policy, { now }).status).toBe('unknown');
        expect(snapshot.problems.map((problem) => problem.code)).toContain('EVIDENCE_IMPORT_UNVERIFIED');
      } finally {
        await access.close();
      }
    });
  });
}

await describeOnEveryStore('evidence-import collector', describeEvidenceChecks);
