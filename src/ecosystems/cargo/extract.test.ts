import { describe, expect, it } from 'vitest';
import { extractCargoLock } from './extract.js';

const lock = `version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
 "rand 0.8.5",
]

[[package]]
name = "serde"
version = "1.0.190"
source = "registry+https://example.invalid/crates"
checksum = "${'b'.repeat(64)}"

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://example.invalid/crates"
dependencies = ["serde"]

[[package]]
name = "rand"
version = "0.7.3"
source = "registry+https://example.invalid/crates"
`;

describe('Cargo.lock', () => {
  it('reads crates, workspace members as roots, checksums and versioned dependencies', () => {
    const { packages, warnings } = extractCargoLock({ path: 'Cargo.lock', text: lock });
    expect(warnings).toEqual([]);
    expect(packages.map((item) => [item.name, item.version, item.direct, item.location.line])).toEqual([
      ['serde', '1.0.190', true, 11],
      ['rand', '0.8.5', true, 17],
      ['rand', '0.7.3', false, 23],
    ]);
    expect(packages[0]).toMatchObject({
      purl: 'pkg:cargo/serde@1.0.190',
      integrity: `sha256:${'b'.repeat(64)}`,
    });
    expect(packages[1]?.dependencies).toEqual(['serde@1.0.190']);
  });

  it('warns on a future format version', () => {
    expect(extractCargoLock({ path: 'Cargo.lock', text: 'version = 9\n' }).warnings[0]?.code).toBe(
      'LOCKFILE_VERSION_UNKNOWN',
    );
  });
});
