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
      '.github/SECURITY.md': '# Security\n\nReport issues to security@example.com.\n',
    });
    expect(results['security-policy/present']?.status).toBe('pass');
    expect(results['security-policy/contact']?.status).toBe('pass');
    expect(results['security-policy/contact']?.evidence).toEqual([
      { kind: 'file', path: '.github/SECURITY.md', line: 3 },
    ]);
  });

  it('fails when there is no policy, with the places searched as evidence', async () => {
    const results = await runChecks({ 'README.md': '# demo\n' });
    expect(results['security-policy/present']?.status).toBe('fail');
    expect(results['security-policy/present']?.evidence[0]?.kind).toBe('absence');
    expect(results['security-policy/contact']?.status).toBe('fail');
  });

  it('fails the contact check when the policy names nobody', async () => {
    const results = await runChecks({ 'SECURITY.md': '# Security\n\nWe care about security.\n' });
    expect(results['security-policy/present']?.status).toBe('pass');
    expect(results['security-policy/contact']?.status).toBe('fail');
    expect(results['security-policy/contact']?.findings[0]?.location?.path).toBe('SECURITY.md');
  });

  it('fails an empty policy file', async () => {
    const results = await runChecks({ 'SECURITY.md': '  \n' });
    expect(results['security-policy/present']?.status).toBe('fail');
  });
});
