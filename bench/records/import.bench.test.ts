/**
 * `shipguard records import training lms.csv` on RECORDS_BENCH_ROWS rows (default 10,000) into a
 * fresh SQLite store (and PostgreSQL when RECORDS_BENCH_POSTGRES is a URL): parse and check every
 * row, build and sign (Ed25519) one record per row, verify each signature again on the way in,
 * one ledger append of all rows, and the projection rows. The same code path as the command.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { recordPeople } from '../../src/people/index.js';
import { createSigner } from '../../src/provenance/index.js';
import {
  addRecords,
  recordsFromCsv,
  registerSigner,
  type SignedRecord,
  signRecord,
} from '../../src/records/index.js';
import { openStore, type StoreLocation } from '../../src/store/index.js';

const rows = Number(process.env['RECORDS_BENCH_ROWS'] ?? 10_000);
const runs = 3;

function lmsCsv(count: number): string {
  const lines = ['Employee ID,Course,Course version,Type,Completed on,Expires on'];
  for (let index = 0; index < count; index++) {
    const day = String((index % 28) + 1).padStart(2, '0');
    lines.push(
      `person-${index},Security Awareness ${index % 3},2026.${index % 4},${index % 2 === 0 ? 'Annual awareness' : 'Secure coding'},2026-0${(index % 9) + 1}-${day},2027-0${(index % 9) + 1}-${day}`,
    );
  }
  return lines.join('\n');
}

async function importOnce(location: StoreLocation, text: string): Promise<{ wall: number; cpu: number }> {
  const pair = generateKeyPairSync('ed25519');
  const signer = createSigner(pair.privateKey);
  const store = await openStore(location);
  try {
    await recordPeople(store, [
      {
        id: 'hr',
        name: 'HR',
        emails: ['hr@example.com'],
        roles: ['hr'],
        engagement: 'employee',
        start: '2020-01-01',
        gitIdentities: [],
      },
    ]);
    await registerSigner(store, {
      person: 'hr',
      publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const documents = recordsFromCsv('training', text, 'lms.csv', {
      columns: {
        person: 'Employee ID',
        course: 'Course',
        courseVersion: 'Course version',
        trainingKind: 'Type',
        completed: 'Completed on',
        expires: 'Expires on',
      },
      now: new Date('2026-11-30T00:00:00Z'),
    });
    const signed: SignedRecord[] = [];
    for (const document of documents) signed.push(await signRecord(document, signer));
    const result = await addRecords(store, signed);
    const wall = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    expect(result.added).toBe(rows);
    return { wall, cpu: (cpu.user + cpu.system) / 1000 };
  } finally {
    await store.close();
  }
}

it(`imports a ${rows}-row LMS export`, async () => {
  const text = lmsCsv(rows);
  const locations: { name: string; location: () => StoreLocation; cleanup?: () => void }[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-records-bench-'));
  let run = 0;
  locations.push({
    name: 'SQLite',
    location: () => ({ kind: 'sqlite', path: join(folder, `store-${run++}.db`) }),
  });
  const postgres = process.env['RECORDS_BENCH_POSTGRES'];
  if (postgres) locations.push({ name: 'PostgreSQL', location: () => ({ kind: 'postgres', url: postgres }) });
  try {
    for (const target of locations) {
      const times: { wall: number; cpu: number }[] = [];
      for (let index = 0; index < runs; index++) times.push(await importOnce(target.location(), text));
      times.sort((a, b) => a.wall - b.wall);
      const cpu = times.map((time) => time.cpu).sort((a, b) => a - b);
      process.stdout.write(
        `${target.name}: ${rows} rows, wall ${times.map((time) => `${Math.round(time.wall)} ms`).join(', ')} (median ${Math.round(times[1]?.wall ?? 0)} ms); CPU median ${Math.round(cpu[1] ?? 0)} ms; load ${loadavg()[0]?.toFixed(1)}\n`,
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
