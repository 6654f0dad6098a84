import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateCollector } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { threatModelCollector } from './index.js';

let repository: TestRepository;
afterEach(() => repository.remove());

async function run(files: Record<string, string>) {
  repository = createTestRepository();
  repository.write({ 'README.md': '# demo\n', ...files });
  repository.commit('initial');
  return (await evaluateCollector(threatModelCollector, repository.path)).results['threat-model/present'];
}

const substantive = `# Threat model\n\n${'The attacker controls the repository content. '.repeat(5)}\n\n| threat | mitigation |\n| --- | --- |\n| injection through a lockfile | bounded parsers, typed errors |\n`;

describe('threat-model collector', () => {
  it("detects shipguard's own docs/threat-model.md", async () => {
    const own = readFileSync(new URL('../../../docs/threat-model.md', import.meta.url), 'utf8');
    const result = await run({ 'docs/threat-model.md': own });
    expect(result?.status).toBe('pass');
    expect(result?.evidence[0]).toMatchObject({ kind: 'file', path: 'docs/threat-model.md' });
  });

  it.each([
    ['THREAT_MODEL.md', substantive],
    [
      'security/app.threat-dragon.json',
      '{"summary":{},"detail":{"diagrams":[{"cells":[{"data":{"threats":[{"title":"Spoofing"}]}}]}]}}',
    ],
    ['threagile.yaml', 'title: demo\ntechnical_assets:\n  web:\n    id: web\n'],
  ])('passes %s', async (path, text) => {
    expect((await run({ [path]: text }))?.status).toBe('pass');
  });

  it('fails a stub or a template without threats and mitigations', async () => {
    const result = await run({ 'docs/threat-model.md': '# Threat model\n\nTODO\n' });
    expect(result?.status).toBe('fail');
    expect(result?.findings[0]?.message).toContain('a stub');
  });

  it('fails without any threat model, saying where it looked', async () => {
    const result = await run({});
    expect(result?.status).toBe('fail');
    expect(result?.evidence[0]?.kind).toBe('absence');
  });

  const pdf = `%PDF-1.7\n${'1 0 obj << /Type /Catalog >> endobj\n'.repeat(12)}%%EOF\n`;
  const tm7 = `<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model">${'<Borders/>'.repeat(40)}</ThreatModel>`;

  it.each([
    ['docs/threat-model.pdf', pdf],
    ['design/app.tm7', tm7],
  ])('passes the binary model %s, which is not read as text', async (path, content) => {
    expect((await run({ [path]: content }))?.status).toBe('pass');
  });

  it.each([
    ['an empty PDF', 'docs/threat-model.pdf', ''],
    ['a PDF that is not one', 'docs/threat-model.pdf', 'x'.repeat(2000)],
    ['an empty Threat Modeling Tool file', 'design/app.tm7', ''],
    ['a Threat Modeling Tool stub', 'design/app.tm7', '<ThreatModel/>'],
  ])('fails %s', async (_name, path, content) => {
    const result = await run({ [path]: content });
    expect(result?.status).toBe('fail');
  });

  it('fails a binary model that links out of the repository (never followed)', async () => {
    repository = createTestRepository();
    repository.write({ 'README.md': '# demo\n' });
    symlinkSync('/proc/self/exe', join(repository.path, 'threat-model.pdf'));
    repository.commit('initial');
    const result = (await evaluateCollector(threatModelCollector, repository.path)).results[
      'threat-model/present'
    ];
    expect(result?.status).toBe('fail');
  });
});
