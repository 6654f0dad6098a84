import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { canonicalize } from '../ledger/index.js';
import { listPeople, Person, recordPeople } from '../people/index.js';
import { keyIdOf, parsePublicKey, type Signer } from '../provenance/index.js';
import type { Store } from '../store/index.js';
import { sha256Hex } from './document.js';
import { RecordError } from './errors.js';
import { recordsFolder } from './repository-folder.js';
import { signRoster } from './roster-signing.js';
import { sealEnvelope } from './signing.js';
import {
  addRecords,
  type EvidenceContent,
  listEvidence,
  listSigners,
  loadVerifiedRecords,
  registerSigner,
} from './store.js';

export const bundleSchema = 'shipguard.records-bundle/v1';

const Bundle = z.strictObject({
  schema: z.literal(bundleSchema),
  signers: z.array(z.strictObject({ person: z.string(), publicKey: z.string().max(16 * 1024) })).max(10_000),
  people: z.array(Person).max(100_000),
  records: z.array(z.unknown()).max(1_000_000),
  evidence: z
    .array(
      z.strictObject({
        sha256: z.string(),
        size: z.number().int().nonnegative(),
        mediaType: z.string(),
        content: z.string(),
      }),
    )
    .max(100_000),
});

/**
 * Everything the store knows about records, as canonical JSON (RFC 8785) in a fixed order: the
 * same records give the same bytes whichever store they come from.
 */
export async function exportBundle(store: Store): Promise<string> {
  const signers = (await listSigners(store)).sort(
    (a, b) => a.person.localeCompare(b.person) || a.publicKey.localeCompare(b.publicKey),
  );
  const people = await listPeople(store);
  const records = (await loadVerifiedRecords(store)).sort((a, b) =>
    a.document.id.localeCompare(b.document.id),
  );
  const evidence = await listEvidence(store);
  return canonicalize({
    schema: bundleSchema,
    signers,
    people,
    records: records.map((record) => record.signed.envelope),
    evidence: evidence.map((file) => ({
      sha256: file.sha256,
      size: file.size,
      mediaType: file.mediaType,
      content: file.content.toString('base64'),
    })),
  });
}

export function bundleDigest(text: string): string {
  return sha256Hex(text);
}

/** Imports a bundle: signers, people and records go through the ledger like any other change. */
export async function importBundle(
  store: Store,
  text: string,
  path = '<bundle>',
): Promise<{ people: number; records: number }> {
  let parsed: z.infer<typeof Bundle>;
  try {
    parsed = Bundle.parse(JSON.parse(text));
  } catch (error) {
    throw new RecordError('BUNDLE_INVALID', `${path} is not a shipguard records bundle`, { cause: error });
  }
  for (const signer of parsed.signers) await registerSigner(store, signer);
  const people = await recordPeople(store, parsed.people);
  const evidence: EvidenceContent[] = parsed.evidence.map((file) => ({
    sha256: file.sha256,
    size: file.size,
    mediaType: file.mediaType,
    content: Buffer.from(file.content, 'base64'),
  }));
  const records = parsed.records.map((envelope) =>
    sealEnvelope(envelope as Parameters<typeof sealEnvelope>[0]),
  );
  const added = await addRecords(store, records, evidence);
  return { people: people.changed, records: added.added };
}

function fileNameOf(id: string): string {
  return `${id.replace(/:/g, '_')}.json`;
}

/**
 * Writes the store's records into a repository's records/ folder (see repository-folder.ts):
 * one file per record, the roster signed with `signer`, the signers' public keys, and the
 * evidence bytes that are not already kept at a path of the repository.
 */
export async function exportFolder(store: Store, root: string, signer: Signer): Promise<{ files: number }> {
  const folder = join(root, recordsFolder);
  let files = 0;
  const write = async (path: string, content: string | Buffer) => {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
    files += 1;
  };
  for (const registered of await listSigners(store)) {
    const keyId = keyIdOf(parsePublicKey(registered.publicKey));
    await write(
      join(folder, 'signers', `${registered.person}.${keyId.slice(0, 12)}.pub`),
      registered.publicKey,
    );
  }
  const people = await listPeople(store);
  if (people.length > 0)
    await write(
      join(folder, 'roster.json'),
      `${JSON.stringify(await signRoster(people, signer), null, 2)}\n`,
    );
  const records = await loadVerifiedRecords(store);
  const wanted = new Set<string>();
  for (const record of records) {
    await write(
      join(folder, record.document.kind, fileNameOf(record.document.id)),
      `${JSON.stringify(record.signed.envelope, null, 2)}\n`,
    );
    for (const file of record.document.evidence) if (file.path === undefined) wanted.add(file.sha256);
  }
  for (const file of await listEvidence(store)) {
    if (wanted.has(file.sha256)) await write(join(folder, 'evidence', file.sha256), file.content);
  }
  return { files };
}
