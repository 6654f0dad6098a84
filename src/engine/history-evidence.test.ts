import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { collectors } from '../collectors/index.js';
import { RepositorySnapshot } from '../kernel/index.js';
import { parsePolicy } from '../policy/index.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { assess } from './engine.js';

const now = new Date('2026-07-15T12:00:00Z');
const temporaryRepository = temporaryRepositories();

/** Controls whose verdict rests on the default branch's history: review and traceability. */
const historyControls = ['SCM-04', 'SCM-05', 'SCM-06', 'TST-02', 'REQ-07', 'PIP-08', 'DEP-02', 'OUT-02'];

async function assessPath(path: string, period?: string) {
  const repository = await RepositorySnapshot.open(path);
  return assess({
    repository,
    catalog: loadCatalog(),
    collectors,
    loadedPolicy: parsePolicy('', 'shipguard.yaml'),
    now: () => now,
    ...(period === undefined ? {} : { period }),
  });
}

describe('history-based controls', () => {
  it('gives no review or traceability pass on a depth-1 clone of a repository of direct pushes', async () => {
    const origin = temporaryRepository();
    origin.write({ CODEOWNERS: '* @nobody\n', '.github/workflows/ci.yml': 'on: push\n' });
    for (let index = 1; index <= 60; index += 1) {
      const day = String(1 + (index % 28)).padStart(2, '0');
      origin.write({ [`src/file-${index}.txt`]: `${index}\n` });
      // Typed review claims: a request number in the subject and a Reviewed-by trailer.
      origin.commit(`change ${index} (#${index})\n\nReviewed-by: Bob <bob@example.com>`, {
        date: `2026-05-${day}T10:00:00Z`,
        committed: `2026-05-${day}T10:00:00Z`,
      });
    }
    origin.git('tag', 'v1.0.0');
    const clone = temporaryRepository({ git: false });
    clone.git('clone', '--quiet', '--depth', '1', `file://${origin.path}`, '.');

    const assessment = await assessPath(clone.path, '2026-01-01..2026-06-30');
    expect(assessment.period).toEqual({ from: '2026-01-01', to: '2026-06-30', source: 'option' });
    for (const id of historyControls) {
      const control = assessment.controls.find((item) => item.controlId === id);
      expect(control?.status, `${id}: ${control?.summary}`).not.toBe('pass');
    }
    const scm05 = assessment.controls.find((item) => item.controlId === 'SCM-05');
    expect(scm05?.status).toBe('unknown');
    expect(scm05?.summary).toContain('shallow');
  });

  it('does not pass review controls on a full clone whose review evidence is typed by the author', async () => {
    const origin = temporaryRepository();
    for (let index = 1; index <= 5; index += 1) {
      origin.commit(`change ${index} (#${index})\n\nReviewed-by: Bob <bob@example.com>`, {
        date: '2026-05-02T10:00:00Z',
        committed: '2026-05-02T10:00:00Z',
      });
    }
    const assessment = await assessPath(origin.path, '2026-01-01..2026-06-30');
    for (const id of ['SCM-05', 'SCM-06', 'TST-02']) {
      const control = assessment.controls.find((item) => item.controlId === id);
      expect(control?.status, `${id}: ${control?.summary}`).toBe('unknown');
      expect(control?.evidenceLevel).toBe('declared');
      expect(control?.requiredLevel).toBe('signed');
      expect(control?.howToProvide).toContain('review.forge');
    }
  });

  it('uses the last 12 months by default, and refuses a malformed period', async () => {
    const origin = temporaryRepository();
    origin.commit('one');
    const assessment = await assessPath(origin.path);
    expect(assessment.period).toEqual({ from: '2025-07-16', to: '2026-07-15', source: 'default' });
    await expect(assessPath(origin.path, '2026-06-30..2026-01-01')).rejects.toMatchObject({
      code: 'USAGE_INVALID_PERIOD',
    });
    await expect(assessPath(origin.path, '2026-02-30..2026-03-01')).rejects.toMatchObject({
      code: 'USAGE_INVALID_PERIOD',
    });
  });
});
