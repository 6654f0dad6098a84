import { describe, expect, it } from 'vitest';
import { extractNuGetLock } from './extract.js';
import { compareNuGetVersions } from './version.js';

const lock = JSON.stringify(
  {
    version: 1,
    dependencies: {
      'net8.0': {
        'Newtonsoft.Json': {
          type: 'Direct',
          requested: '[13.0.1, )',
          resolved: '13.0.1',
          contentHash: 'abc==',
        },
        'System.Text': {
          type: 'Transitive',
          resolved: '4.3.0',
          dependencies: { 'newtonsoft.json': '13.0.1' },
        },
        MyLib: { type: 'Project' },
      },
      'net6.0': { 'Newtonsoft.Json': { type: 'Direct', resolved: '13.0.1' } },
    },
  },
  null,
  2,
);

describe('packages.lock.json', () => {
  it('reads every framework once, skipping project references', () => {
    const { packages, warnings } = extractNuGetLock({ path: 'packages.lock.json', text: lock });
    expect(warnings).toEqual([]);
    expect(packages.map((item) => [item.name, item.version, item.direct, item.location.line])).toEqual([
      ['Newtonsoft.Json', '13.0.1', true, 5],
      ['System.Text', '4.3.0', false, 11],
    ]);
    expect(packages[0]?.integrity).toBe('sha512-abc==');
    expect(packages[1]?.dependencies).toEqual(['newtonsoft.json@13.0.1']);
  });

  it('orders four-part versions and case-insensitive labels', () => {
    expect(compareNuGetVersions('1.0.0.1', '1.0')).toBeGreaterThan(0);
    expect(compareNuGetVersions('1.0.0-BETA', '1.0.0-beta')).toBe(0);
  });
});
