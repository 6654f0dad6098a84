import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { LockedPackage } from '../ecosystems/index.js';
import { readSbomPackages } from './import.js';
import { renderSpdx } from './spdx.js';

const corpus = fileURLToPath(new URL('../../../shared/corpora/sbom-schemas/', import.meta.url));
const present = existsSync(corpus);
if (!present) console.warn(`SPDX conformance skipped: ${corpus} is absent`);

const packages: LockedPackage[] = [
  {
    name: 'express',
    version: '4.17.1',
    purl: 'pkg:npm/express@4.17.1',
    ecosystem: 'npm',
    direct: true,
    scope: 'prod',
    integrity: `sha512-${Buffer.alloc(64, 7).toString('base64')}`,
    location: { path: 'package-lock.json', line: 5 },
    dependencies: ['debug@2.6.9'],
  },
  {
    name: 'debug',
    version: '2.6.9',
    purl: 'pkg:npm/debug@2.6.9',
    ecosystem: 'npm',
    direct: false,
    scope: 'prod',
    location: { path: 'package-lock.json', line: 9 },
  },
  {
    name: 'jest',
    version: '29.0.0',
    purl: 'pkg:npm/jest@29.0.0',
    ecosystem: 'npm',
    direct: true,
    scope: 'dev',
    location: { path: 'package-lock.json', line: 12 },
  },
];

describe.skipIf(!present)(
  'SPDX 2.3 output against the official schema (../shared/corpora/sbom-schemas)',
  () => {
    function validator() {
      const ajv = new Ajv2019({ strict: false, allErrors: true });
      ajvFormats.default(ajv);
      return ajv.compile(JSON.parse(readFileSync(`${corpus}spdx-2.3.schema.json`, 'utf8')));
    }

    it('validates, with DEPENDS_ON and DEV_DEPENDENCY_OF relationships', () => {
      const document = renderSpdx({
        name: 'shop',
        packages,
        timestamp: '2026-01-01T00:00:00Z',
        toolVersion: '0.1.0',
      });
      const validate = validator();
      expect(validate(document), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(document['relationships']).toEqual(
        expect.arrayContaining([
          {
            spdxElementId: 'SPDXRef-Root',
            relationshipType: 'DEPENDS_ON',
            relatedSpdxElement: 'SPDXRef-Package-2',
          },
          {
            spdxElementId: 'SPDXRef-Package-2',
            relationshipType: 'DEPENDS_ON',
            relatedSpdxElement: 'SPDXRef-Package-1',
          },
          {
            spdxElementId: 'SPDXRef-Package-3',
            relationshipType: 'DEV_DEPENDENCY_OF',
            relatedSpdxElement: 'SPDXRef-Root',
          },
        ]),
      );
    });

    it('the schema rejects a broken document (the validator is real)', () => {
      const document = renderSpdx({
        name: 'shop',
        packages,
        timestamp: '2026-01-01T00:00:00Z',
        toolVersion: '0.1.0',
      });
      expect(validator()({ ...document, SPDXID: 42 })).toBe(false);
    });

    it('reads the official SPDX example as packages by purl', () => {
      const text = readFileSync(`${corpus}spdx-2.3-example.spdx.json`, 'utf8');
      const read = readSbomPackages('example.spdx.json', text);
      expect(read.format).toBe('spdx');
      expect(read.packages.length + read.skipped).toBeGreaterThan(0);
    });
  },
);
