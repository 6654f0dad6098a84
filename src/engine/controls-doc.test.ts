import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { collectors } from '../collectors/index.js';
import { renderControlsEvidenceDoc, replaceGeneratedSection } from './controls-doc.js';

describe('docs/controls.md', () => {
  const document = readFileSync(new URL('../../docs/controls.md', import.meta.url), 'utf8');
  const section = renderControlsEvidenceDoc(loadCatalog(), collectors);

  it('is up to date with the catalog and the checks (npm run docs:controls rewrites it)', () => {
    expect(replaceGeneratedSection(document, section)).toBe(document);
  });

  it('says, for every control, what makes it pass, fail and stay unknown', () => {
    for (const control of loadCatalog().controls) {
      const start = section.indexOf(`#### ${control.id} ·`);
      expect(start, control.id).toBeGreaterThan(-1);
      const block = section.slice(start, section.indexOf('\n\n#### ', start + 1) >>> 0 || undefined);
      for (const label of ['**Pass:**', '**Fail:**', '**Unknown:**'])
        expect(block, `${control.id} ${label}`).toContain(label);
    }
  });

  it('names each check a control relies on and the evidence level it needs', () => {
    expect(section).toContain(
      '#### SCM-05 · Changes reach protected branches only through reviewed merges (high)',
    );
    expect(section).toMatch(/SCM-05[^#]*`review\/no-direct-pushes`[^#]*signed or verified evidence/);
  });
});
