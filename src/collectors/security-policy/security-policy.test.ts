import { afterEach, describe, expect, it } from 'vitest';
import { evaluateCollector } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { securityPolicyCollector } from './index.js';

let repository: TestRepository;

afterEach(() => repository.remove());

async function runChecks(files: Record<string, string>) {
  repository = createTestRepository();
  repository.write(files);
  repository.commit('initial');
  return (await evaluateCollector(securityPolicyCollector, repository.path)).results;
}

describe('security-policy collector', () => {
  it('passes when SECURITY.md names a contact', async () => {
    const results = await runChecks({
      'README.md': '# demo\n',
      '.github/SECURITY.md': '# Security\n\nReport issues to security@acme-widgets.io.\n',
    });
    expect(results['security-policy/present']?.status).toBe('pass');
    expect(results['security-policy/contact']?.status).toBe('pass');
    expect(results['security-policy/contact']?.evidence).toEqual([
      { kind: 'file', path: '.github/SECURITY.md', line: 3, note: 'security@acme-widgets.io' },
    ]);
  });

  it.each([
    'Report issues to security@example.com.',
    'Report issues to <security@your-domain.com>.',
    'Mail security@yourcompany.com or see https://example.org/security.',
    'Report to security@company.test',
    'Use https://TODO/report',
  ])('fails a placeholder contact: %s', async (line) => {
    const results = await runChecks({ 'SECURITY.md': `# Security\n\n${line}\n` });
    expect(results['security-policy/contact']?.status).toBe('fail');
    expect(results['security-policy/contact']?.findings[0]?.message).toMatch(
      /placeholder|reserved for examples/,
    );
  });

  it('passes the forge’s private advisory link', async () => {
    const results = await runChecks({
      'SECURITY.md': '# Security\n\nhttps://github.com/acme/widgets/security/advisories/new\n',
    });
    expect(results['security-policy/contact']?.status).toBe('pass');
  });

  it('is unknown, not failed, without a policy: one kept at organisation level is not visible offline', async () => {
    const results = await runChecks({ 'README.md': '# demo\n' });
    expect(results['security-policy/present']?.status).toBe('unknown');
    expect(results['security-policy/present']?.howToProvide).toContain('organisation');
    expect(results['security-policy/contact']?.status).toBe('unknown');
  });

  it('fails the contact check when the policy names nobody', async () => {
    const results = await runChecks({ 'SECURITY.md': '# Security\n\nWe care about security.\n' });
    expect(results['security-policy/present']?.status).toBe('pass');
    expect(results['security-policy/contact']?.status).toBe('fail');
    expect(results['security-policy/contact']?.findings[0]?.location?.path).toBe('SECURITY.md');
  });

  it.each([
    ['# Security Policy\n\n## Reporting\n\nTODO\n', 'headings and placeholders'],
    ['# Security\n\n<describe how to report>\n\nTBD.\n', 'headings and placeholders'],
    [
      '# Security Policy\n\n## Supported Versions\n\nUse this section to tell people about which versions of your project are\ncurrently being supported with security updates.\n\n## Reporting a Vulnerability\n\nUse this section to tell people how to report a vulnerability.\n',
      'unedited template',
    ],
  ])('fails a policy that is a prop: %j', async (text, reason) => {
    const results = await runChecks({ 'SECURITY.md': text });
    expect(results['security-policy/present']?.status).toBe('fail');
    expect(results['security-policy/present']?.summary).toContain(reason);
  });

  it('fails an empty policy file', async () => {
    const results = await runChecks({ 'SECURITY.md': '  \n' });
    expect(results['security-policy/present']?.status).toBe('fail');
  });
});
