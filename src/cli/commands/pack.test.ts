import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';
import { temporaryRepositories } from '../../testing/temporary-repositories.js';

const temporaryRepository = temporaryRepositories();

describe('shipguard assess --framework, pack and verify-pack', () => {
  it('assesses per framework, packs the period and verifies the pack offline, naming tampering', async () => {
    const repository = temporaryRepository();
    repository.write({ 'README.md': '# service\n', 'SECURITY.md': 'Report to security@example.com\n' });
    repository.commit('initial');
    const folder = repository.path;
    const db = join(folder, '.shipguard', 'store.db');
    const file = (name: string) => join(folder, '.shipguard', name);
    const assess = (framework: string, ...extra: string[]) =>
      runCli('assess', folder, '--db', db, '--framework', framework, ...extra);
    const pack = (from: string, to: string, out: string) =>
      runCli('pack', '--from', from, '--to', to, '--out', file(out), '--db', db);

    const view = await assess('ssdf', '--format', 'json', '--fail-on', 'none');
    expect(view.code, view.stderr).toBe(0);
    const parsed = JSON.parse(view.stdout);
    expect(parsed).toMatchObject({ schemaVersion: 1, framework: 'ssdf' });
    expect(parsed.items.find((item: { id: string }) => item.id === 'PW.7.2')).toBeDefined();
    const table = await assess('iso27001', '--fail-on', 'none');
    expect(table.stdout).toContain('ISO/IEC 27001:2022 Annex A');
    expect(table.stdout).toMatch(/8\.25\s+Secure development life cycle/);
    const wrongFormat = await assess('ncsc', '--format', 'sarif');
    expect(wrongFormat.code).toBe(2);

    // Nothing to pack under until a checkpoint is signed.
    const early = await pack('2000-01-01', '2100-12-31', 'pack.json');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('checkpoint');

    expect(
      (
        await runCli(
          'keys',
          'generate',
          '--type',
          'ed25519',
          '--out-dir',
          join(folder, '.shipguard'),
          '--name',
          'log',
        )
      ).code,
    ).toBe(0);
    const origin = 'example.com/service/ledger';
    const signed = await runCli(
      'ledger',
      'checkpoint',
      '--key',
      file('log.key'),
      '--origin',
      origin,
      '--db',
      db,
    );
    expect(signed.code, signed.stderr).toBe(0);
    const verifierKey = (
      await runCli('ledger', 'verifier-key', '--key', file('log.key'), '--key-name', origin)
    ).stdout.trim();
    const verifyPack = (packFile: string, ...extra: string[]) =>
      runCli('verify-pack', file(packFile), '--checkpoint-key', verifierKey, ...extra);

    const badPeriod = await pack('2026-02-30', '2026-03-01', 'x.json');
    expect(badPeriod.code).toBe(2);
    const packed = await pack('2000-01-01', '2100-12-31', 'pack.json');
    expect(packed.code, packed.stderr).toBe(0);
    expect(packed.stdout).toContain('packed  2 assessments');

    const verified = await verifyPack('pack.json', '--origin', origin);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/^verified {2}\d+ files, 2 assessments/m);

    const keyless = await runCli('verify-pack', file('pack.json'));
    expect(keyless.code).toBe(1);
    expect(keyless.stdout).toContain('CHECKPOINT_KEY_MISSING');

    const document = JSON.parse(readFileSync(file('pack.json'), 'utf8'));
    const target = document.contents.find((entry: { path: string }) => entry.path.startsWith('assessments/'));
    target.base64 = Buffer.from('{"id":"forged"}').toString('base64');
    writeFileSync(file('tampered.json'), JSON.stringify(document));
    const tampered = await verifyPack('tampered.json', '--format', 'json');
    expect(tampered.code).toBe(1);
    const result = JSON.parse(tampered.stdout);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'FILE_TAMPERED', subject: target.path }),
    );

    const foreignOrigin = await verifyPack('pack.json', '--origin', 'example.com/other');
    expect(foreignOrigin.code).toBe(1);
    expect(foreignOrigin.stdout).toContain('CHECKPOINT_FOREIGN_LOG');
  }, 120_000);
});
