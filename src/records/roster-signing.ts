import { z } from 'zod';
import { canonicalBytes } from '../ledger/index.js';
import { Person } from '../people/index.js';
import type { Signer } from '../provenance/index.js';
import { signEnvelope, toEnvelope, verifyEnvelope } from '../provenance/index.js';
import { RecordError } from './errors.js';
import type { SignerDirectory } from './signing.js';

export const rosterPayloadType = 'application/vnd.shipguard.roster+json';

const RosterDocument = z.strictObject({
  schema: z.literal('shipguard.roster/v1'),
  people: z.array(Person).max(100_000),
});

/** The roster as a signed snapshot, for the records/ folder of a repository. */
export async function signRoster(people: readonly Person[], signer: Signer) {
  const sorted = [...people].sort((a, b) => a.id.localeCompare(b.id));
  return signEnvelope(canonicalBytes({ schema: 'shipguard.roster/v1', people: sorted }), rosterPayloadType, [
    signer,
  ]);
}

export async function openSignedRoster(
  json: unknown,
  directory: SignerDirectory,
  where: string,
): Promise<{ people: Person[]; signer: string }> {
  try {
    const verified = await verifyEnvelope(toEnvelope(json, where), directory.verifiers, {
      payloadType: rosterPayloadType,
    });
    const parsed = RosterDocument.parse(JSON.parse(verified.payload.toString('utf8')));
    return { people: parsed.people, signer: directory.personOf(verified.keyIds.sort()[0] ?? '') ?? '' };
  } catch (error) {
    throw new RecordError(
      'RECORD_SIGNATURE_INVALID',
      `${where}: not a roster signed by a registered signer`,
      { cause: error },
    );
  }
}
