import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { loadPolicy, type PolicyError, parsePolicy } from './load.js';
import { defaultPolicy } from './schema.js';
import { policyTemplate } from './template.js';

function parseError(text: string): PolicyError {
  try {
    parsePolicy(text, 'shipguard.yaml');
  } catch (error) {
    return error as PolicyError;
  }
  throw new Error('expected a policy error');
}

describe('parsePolicy', () => {
  it('reads the init template as exactly the defaults', () => {
    expect(parsePolicy(policyTemplate, 'shipguard.yaml').policy).toEqual(defaultPolicy());
  });

  it('fills defaults for an empty file', () => {
    const { policy } = parsePolicy('', 'shipguard.yaml');
    expect(policy.failOn).toBe('high');
    expect(policy.thresholds.codeownersCoverage).toBe(0.8);
  });

  it('names an unknown key and its line', () => {
    const error = parseError(
      'version: 1\nthresholds:\n  codeownersCoverage: 0.5\n  codeownerCoverage: 0.9\n',
    );
    expect(error.code).toBe('POLICY_UNKNOWN_KEY');
    expect(error.message).toContain('thresholds.codeownerCoverage');
    expect(error.location).toEqual({ path: 'shipguard.yaml', line: 4 });
  });

  it('names an invalid value and its line', () => {
    const error = parseError('failOn: sometimes\n');
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.location?.line).toBe(1);
  });

  it('reports broken YAML with its line', () => {
    const error = parseError('version: 1\nthresholds: [\n');
    expect(error.code).toBe('POLICY_INVALID_YAML');
    expect(error.location?.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects a not-applicable control without a reason', () => {
    const error = parseError('controls:\n  DEV-01:\n    applicable: false\n');
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.message).toContain('controls.DEV-01.reason');
    // The missing key has no line of its own: the control that lacks it is named.
    expect(error.location?.line).toBe(2);
  });

  it('rejects an exception naming both a control and a fingerprint', () => {
    const error = parseError(
      'exceptions:\n  - control: DEV-01\n    fingerprint: abcdef0123456789\n    reason: because it is fine for now\n    owner: a\n    approver: b\n    expires: 2027-01-01\n',
    );
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.location?.line).toBe(2);
  });

  it('accepts unquoted YAML dates and locates attestations', () => {
    const loaded = parsePolicy(
      'attestations:\n  - control: AWR-01\n    date: 2026-03-01\n    by: ISMS manager\n    evidence: HR report\n',
      'shipguard.yaml',
    );
    expect(loaded.policy.attestations[0]?.date).toBe('2026-03-01');
    expect(loaded.lineOf(['attestations', 0])).toBe(2);
  });

  it('bounds alias expansion (billion laughs)', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 8 }, (_, index) => {
        const previous = String.fromCharCode(97 + index);
        const name = String.fromCharCode(98 + index);
        return `${name}: &${name} [*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous}]`;
      }),
    ].join('\n');
    const error = parseError(bomb);
    expect(['POLICY_INVALID_YAML', 'POLICY_INVALID', 'POLICY_UNKNOWN_KEY']).toContain(error.code);
  });
});

describe('exceptions and attestations are checked against the catalog and the limits', () => {
  const now = new Date('2026-06-01T10:00:00Z');
  const exception = (fields: string) =>
    `version: 1\nexceptions:\n  - reason: accepted while the fix is built\n${fields}`;
  function errorOf(text: string): { code?: string; line?: number; message: string } {
    try {
      parsePolicy(text, 'shipguard.yaml', { now });
    } catch (error) {
      const typed = error as PolicyError;
      return {
        code: typed.code,
        message: typed.message,
        ...(typed.location?.line ? { line: typed.location.line } : {}),
      };
    }
    return { message: 'accepted' };
  }

  it('names the file, line and key of an unknown control id', () => {
    expect(
      errorOf(
        exception('    control: XYZ-99\n    owner: alice\n    approver: bob\n    expires: 2026-06-10\n'),
      ),
    ).toMatchObject({
      code: 'POLICY_UNKNOWN_CONTROL',
      line: 4,
      message: expect.stringContaining('exceptions[0].control'),
    });
    expect(
      errorOf(
        'attestations:\n  - control: AWR-99\n    date: 2026-03-01\n    by: ISMS manager\n    evidence: x\n',
      ),
    ).toMatchObject({ code: 'POLICY_UNKNOWN_CONTROL', line: 2 });
    expect(
      errorOf('controls:\n  ZZZ-01:\n    applicable: false\n    reason: we do not build anything\n'),
    ).toMatchObject({
      code: 'POLICY_UNKNOWN_CONTROL',
      line: 2,
    });
  });

  it('refuses a fingerprint shipguard could not have reported', () => {
    expect(
      errorOf(
        exception(
          '    fingerprint: "anything goes here"\n    owner: alice\n    approver: bob\n    expires: 2026-06-10\n',
        ),
      ),
    ).toMatchObject({ code: 'POLICY_UNKNOWN_FINGERPRINT', line: 4 });
    expect(
      errorOf(
        exception(
          `    fingerprint: ${'a'.repeat(32)}\n    owner: alice\n    approver: bob\n    expires: 2026-06-10\n`,
        ),
      ),
    ).toEqual({ message: 'accepted' });
    expect(
      errorOf(
        exception(
          '    fingerprint: config/app.env:generic-api-key:3\n    owner: alice\n    approver: bob\n    expires: 2026-06-10\n',
        ),
      ),
    ).toEqual({ message: 'accepted' });
  });

  it('refuses an owner approving their own exception, however the name is spelled', () => {
    for (const approver of ['alice', 'ALICE', 'ali\u200Bce', 'ａｌｉｃｅ']) {
      expect(
        errorOf(
          exception(
            `    control: DEV-01\n    owner: alice\n    approver: "${approver}"\n    expires: 2026-06-10\n`,
          ),
        ),
      ).toMatchObject({ code: 'POLICY_EXCEPTION_INVALID', line: 6 });
    }
  });

  it('caps the expiry by the control severity (critical 30 days by default), configurable up to 365', () => {
    const critical = loadCatalog().controls.find((control) => control.severity === 'critical');
    expect(critical).toBeDefined();
    const text = (expires: string, limits = '') =>
      `${limits}${exception(`    control: ${critical?.id}\n    owner: alice\n    approver: bob\n    expires: ${expires}\n`)}`;
    expect(errorOf(text('2099-01-01'))).toMatchObject({ code: 'POLICY_EXCEPTION_INVALID', line: 7 });
    expect(errorOf(text('2026-07-02'))).toMatchObject({ code: 'POLICY_EXCEPTION_INVALID' });
    expect(errorOf(text('2026-07-01'))).toEqual({ message: 'accepted' });
    expect(errorOf(text('2026-08-01', 'exceptionMaxDays:\n  critical: 90\n'))).toEqual({
      message: 'accepted',
    });
    expect(errorOf(text('2026-08-01', 'exceptionMaxDays:\n  critical: 5000\n'))).toMatchObject({
      code: 'POLICY_INVALID',
    });
  });
});

describe('loadPolicy reads the policy file as hostile content', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  function folder(): string {
    const path = mkdtempSync(join(tmpdir(), 'shipguard-policy-'));
    folders.push(path);
    return path;
  }
  async function loadError(root: string, explicitPath?: string): Promise<Error> {
    try {
      await loadPolicy(root, explicitPath);
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected an error');
  }

  it('refuses a shipguard.yaml that links out of the repository, rather than taking its policy', async () => {
    const outside = folder();
    writeFileSync(join(outside, 'lax.yaml'), 'failOn: critical\n');
    const root = folder();
    symlinkSync(join(outside, 'lax.yaml'), join(root, 'shipguard.yaml'));
    const error = await loadError(root);
    expect(error).toMatchObject({ code: 'POLICY_UNREADABLE', location: { path: 'shipguard.yaml' } });
    expect(error.message).toContain('outside the repository');
  });

  it('refuses a shipguard.yaml that is a FIFO at once, rather than waiting on it', async () => {
    const root = folder();
    execFileSync('mkfifo', [join(root, 'shipguard.yaml')]);
    const error = await loadError(root);
    expect(error).toMatchObject({ code: 'POLICY_UNREADABLE' });
    expect(error.message).toContain('FIFO');
  }, 10_000);

  it('refuses a dangling shipguard.yaml link rather than using the defaults', async () => {
    const root = folder();
    symlinkSync(join(root, 'gone.yaml'), join(root, 'shipguard.yaml'));
    expect(await loadError(root)).toMatchObject({ code: 'POLICY_UNREADABLE' });
  });

  it('reads a policy named on the command line up to its size limit (/dev/zero is an error)', async () => {
    const error = await loadError(folder(), '/dev/zero');
    expect(error).toMatchObject({ code: 'INPUT_FILE_TOO_LARGE' });
  }, 20_000);

  it('still reads a policy file inside the repository, and a link to one', async () => {
    const root = folder();
    writeFileSync(join(root, 'policy.yaml'), 'failOn: low\n');
    symlinkSync('policy.yaml', join(root, 'shipguard.yaml'));
    expect((await loadPolicy(root)).policy.failOn).toBe('low');
    expect((await loadPolicy(root, join(root, 'policy.yaml'))).policy.failOn).toBe('low');
    expect((await loadPolicy(folder())).policy).toEqual(defaultPolicy());
  });
});
