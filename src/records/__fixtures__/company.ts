/**
 * A small company for tests: 15 people (employees, two contractors, a third party), keys for
 * the CTO, HR and a security analyst, and helpers that sign records as one of them.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { recordPeople } from '../../people/index.js';
import { createSigner, type Signer } from '../../provenance/index.js';
import type { Store } from '../../store/index.js';
import { buildRecord, type EvidenceFile } from '../document.js';
import { type SignedRecord, signRecord } from '../signing.js';
import { addRecords, type EvidenceContent, registerSigner } from '../store.js';
import { parseRosterCsv } from '../../people/index.js';

export const now = new Date('2026-11-30T12:00:00Z');

/** YYYY-MM-DD, `days` before `now` (negative: after). */
export function daysAgo(days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export const rosterCsv = [
  'id,name,emails,roles,engagement,organisation,start,end,git_identities',
  'cto,Grace Hopper,grace@example.com,cto;management,employee,,2020-01-01,,',
  'hr,Frances Allen,frances@example.com,hr,employee,,2020-01-01,,',
  'ada,Ada Lovelace,ada@example.com,development-team-lead,employee,,2021-01-01,,ada@users.noreply.github.com',
  'alan,Alan Turing,alan@example.com;alan@home.example,application-architect,employee,,2021-01-01,,',
  'barbara,Barbara Liskov,barbara@example.com,software-engineer,employee,,2021-01-01,,',
  'ken,Ken Thompson,ken@example.com,system-administrator,employee,,2021-01-01,,',
  'dennis,Dennis Ritchie,dennis@example.com,network-engineer,employee,,2021-01-01,,',
  'margaret,Margaret Hamilton,margaret@example.com,system-owner,employee,,2021-01-01,,',
  'radia,Radia Perlman,radia@example.com,cloud-security-architect,employee,,2021-01-01,,',
  'katherine,Katherine Johnson,katherine@example.com,information-security-analyst,employee,,2021-01-01,,',
  'edsger,Edsger Dijkstra,edsger@example.com,project-manager,employee,,2021-01-01,,',
  '"zoe","Zoe\u200b Quinn",zoe@example.com,Application developer,employee,,2021-01-01,,',
  'linus,Linus Torvalds,linus@devshop.example,application-developer,contractor,Devshop,2024-01-01,,',
  'guido,Guido van Rossum,guido@devshop.example,application-developer,contractor,Devshop,2024-01-01,,',
  'tim,Tim Berners-Lee,tim@testco.example,system-tester,third-party,TestCo,2024-01-01,,',
].join('\n');

export interface Company {
  keys: Record<'cto' | 'hr' | 'katherine', { signer: Signer; publicKey: string; privateKey: KeyObject }>;
  sign(as: keyof Company['keys'], kind: string, input: { id?: string; effective: string; performedBy: string; data: unknown }, evidence?: EvidenceFile[]): Promise<SignedRecord>;
}

function keyPair(type: 'ed25519' | 'ec') {
  const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    signer: createSigner(pair.privateKey),
    publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKey: pair.privateKey,
  };
}

export function createCompany(): Company {
  const keys = { cto: keyPair('ed25519'), hr: keyPair('ec'), katherine: keyPair('ed25519') };
  return {
    keys,
    async sign(as, kind, input, evidence = []) {
      return signRecord(buildRecord(kind, input, evidence, now), keys[as].signer);
    },
  };
}

/** Puts the roster and the three signers in the store. */
export async function enrol(store: Store, company: Company): Promise<void> {
  await recordPeople(store, parseRosterCsv(rosterCsv, 'roster.csv'));
  for (const person of ['cto', 'hr', 'katherine'] as const) {
    await registerSigner(store, { person, publicKey: company.keys[person].publicKey });
  }
}

export async function add(store: Store, records: SignedRecord[], evidence: EvidenceContent[] = []): Promise<void> {
  await addRecords(store, records, evidence);
}

/** Evidence as `describeEvidence` gives it: the content with its name. */
type NamedEvidence = EvidenceContent & { name: string };

export interface PenTest {
  engagement: string;
  started: string;
  ended: string;
  report: NamedEvidence;
  findings: { id: string; title: string; severity: string }[];
}

/** The file an evidence content is attached as: everything but the bytes. */
export function evidenceFileOf(evidence: NamedEvidence): EvidenceFile {
  return { name: evidence.name, sha256: evidence.sha256, size: evidence.size, mediaType: evidence.mediaType };
}

/**
 * An external pen test over the usual scope, signed by the security analyst, with `report`
 * attached and named in the record (put the report's content in the store with it).
 */
export function signPenTest(company: Company, test: PenTest): Promise<SignedRecord> {
  return company.sign(
    'katherine',
    'pen-test',
    {
      effective: test.ended,
      performedBy: 'Pentest Partners Ltd',
      data: {
        engagement: test.engagement,
        tester: 'Pentest Partners Ltd',
        independence: 'external',
        started: test.started,
        ended: test.ended,
        scope: ['input-validation', 'user-enumeration', 'hardening', 'api'],
        report: test.report.name,
        findings: test.findings,
        presentedToCto: test.ended,
      },
    },
    [evidenceFileOf(test.report)],
  );
}
