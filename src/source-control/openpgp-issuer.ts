/**
 * The key an OpenPGP signature names as its issuer, read from the signature packet itself
 * (RFC 4880 §5.2.3: the issuer key id subpacket, 16, or the issuer fingerprint, 33). Used only to
 * skip running gpg for a key the keyring does not hold; gpg still checks every signature whose key
 * it has. Bounded: at most one packet of an armoured block of at most 64 KiB is read.
 */
const maxArmorBytes = 64 * 1024;

export interface OpenPgpIssuer {
  /** Upper-case hex: 16 digits for a key id, 40 or 64 for a fingerprint. */
  ids: string[];
}

function dearmor(armor: string): Buffer | undefined {
  if (armor.length > maxArmorBytes) return undefined;
  const lines = armor.split(/\r?\n/);
  const begin = lines.findIndex((line) => line.startsWith('-----BEGIN PGP SIGNATURE-----'));
  if (begin === -1) return undefined;
  let index = begin + 1;
  // Armour headers ("Version: …") end at the first blank line.
  while (index < lines.length && (lines[index] ?? '').trim() !== '') index += 1;
  const body: string[] = [];
  for (index += 1; index < lines.length; index += 1) {
    const line = (lines[index] ?? '').trim();
    if (line.startsWith('=') || line.startsWith('-----END')) break;
    body.push(line);
  }
  const text = body.join('');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/** The body of the first packet, if it is a signature packet (tag 2). */
function signaturePacket(bytes: Buffer): Buffer | undefined {
  const first = bytes[0];
  if (first === undefined || (first & 0x80) === 0) return undefined;
  let tag: number;
  let offset = 1;
  let length: number;
  if (first & 0x40) {
    tag = first & 0x3f;
    const octet = bytes[offset] ?? 0;
    if (octet < 192) {
      length = octet;
      offset += 1;
    } else if (octet < 224) {
      length = ((octet - 192) << 8) + (bytes[offset + 1] ?? 0) + 192;
      offset += 2;
    } else if (octet === 255) {
      length = bytes.readUInt32BE(offset + 1);
      offset += 5;
    } else return undefined;
  } else {
    tag = (first >> 2) & 0x0f;
    const lengthType = first & 0x03;
    if (lengthType === 0) length = bytes[offset] ?? 0;
    else if (lengthType === 1) length = bytes.readUInt16BE(offset);
    else if (lengthType === 2) length = bytes.readUInt32BE(offset);
    else return undefined;
    offset += [1, 2, 4][lengthType] ?? 0;
  }
  if (tag !== 2 || offset + length > bytes.length) return undefined;
  return bytes.subarray(offset, offset + length);
}

function subpacketIssuers(area: Buffer, ids: string[]): boolean {
  let offset = 0;
  while (offset < area.length) {
    const octet = area[offset] ?? 0;
    let length: number;
    if (octet < 192) {
      length = octet;
      offset += 1;
    } else if (octet < 255) {
      length = ((octet - 192) << 8) + (area[offset + 1] ?? 0) + 192;
      offset += 2;
    } else {
      if (offset + 5 > area.length) return false;
      length = area.readUInt32BE(offset + 1);
      offset += 5;
    }
    if (length < 1 || offset + length > area.length) return false;
    const type = (area[offset] ?? 0) & 0x7f;
    const data = area.subarray(offset + 1, offset + length);
    if (type === 16 && data.length === 8) ids.push(data.toString('hex').toUpperCase());
    if (type === 33 && data.length > 1) ids.push(data.subarray(1).toString('hex').toUpperCase());
    offset += length;
  }
  return true;
}

/** The issuer ids a version 4 signature names; undefined when it cannot be read (then ask gpg). */
export function openPgpIssuer(armor: string): OpenPgpIssuer | undefined {
  try {
    const bytes = dearmor(armor);
    const packet = bytes && signaturePacket(bytes);
    if (packet?.[0] !== 4 || packet.length < 6) return undefined;
    const hashedLength = packet.readUInt16BE(4);
    const hashedEnd = 6 + hashedLength;
    if (hashedEnd + 2 > packet.length) return undefined;
    const unhashedLength = packet.readUInt16BE(hashedEnd);
    if (hashedEnd + 2 + unhashedLength > packet.length) return undefined;
    const ids: string[] = [];
    const readable =
      subpacketIssuers(packet.subarray(6, hashedEnd), ids) &&
      subpacketIssuers(packet.subarray(hashedEnd + 2, hashedEnd + 2 + unhashedLength), ids);
    return readable && ids.length > 0 ? { ids } : undefined;
  } catch {
    return undefined;
  }
}

/** True when some key of the keyring (its 16-digit id or fingerprint) is one the signature names. */
export function keyringHolds(held: ReadonlySet<string>, issuer: OpenPgpIssuer): boolean {
  return issuer.ids.some((id) => held.has(id) || held.has(id.slice(-16)));
}
