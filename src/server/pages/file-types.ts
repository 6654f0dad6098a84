/**
 * What an uploaded evidence file is, judged by its bytes (ASVS 12.2.1): the type a browser
 * declares comes from the file name, so it is checked against the content, and a file whose
 * content is none of the accepted kinds is refused. The type kept is the one the content shows.
 */

type ContentKind = 'pdf' | 'png' | 'jpeg' | 'zip' | 'text';

/** Accepted declared types and the content each must have. */
const acceptedTypes: Readonly<Record<string, ContentKind>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'zip',
  'text/plain': 'text',
  'text/csv': 'text',
  'text/markdown': 'text',
  'application/json': 'text',
  'application/yaml': 'text',
  'application/x-yaml': 'text',
  'text/yaml': 'text',
  'application/xml': 'text',
  'text/xml': 'text',
};

/** The declared types a page upload may have (the content must then match). */
export const acceptedUploadTypes: readonly string[] = Object.keys(acceptedTypes);

/** What a text file of no declared type is kept as, by its extension. */
const textByExtension: Readonly<Record<string, string>> = {
  csv: 'text/csv',
  json: 'application/json',
  md: 'text/markdown',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  xml: 'application/xml',
};

const kindNames: Readonly<Record<ContentKind, string>> = {
  pdf: 'a PDF document',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  zip: 'a ZIP archive (or an Office document)',
  text: 'UTF-8 text',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function startsWith(content: Buffer, bytes: readonly number[]): boolean {
  return content.length >= bytes.length && bytes.every((byte, index) => content[index] === byte);
}

/** The kind of content by its first bytes, or text when it is valid UTF-8 without NUL. */
export function contentKind(content: Buffer): ContentKind | undefined {
  if (startsWith(content, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(content, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(content, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (content.includes(0)) return undefined;
  try {
    utf8.decode(content);
    return 'text';
  } catch {
    return undefined;
  }
}

function declaredKind(mediaType: string): ContentKind | undefined {
  return acceptedTypes[mediaType.split(';')[0]?.trim().toLowerCase() ?? ''];
}

function keptType(kind: ContentKind, fileName: string): string {
  if (kind === 'text') {
    const extension = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
    return textByExtension[extension] ?? 'text/plain';
  }
  return { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg', zip: 'application/zip' }[kind];
}

const acceptedList =
  'PDF, PNG, JPEG, ZIP or Office documents, or UTF-8 text (plain, CSV, JSON, YAML, Markdown, XML)';

/**
 * The media type to keep for an upload, from its content; or why it is refused: content of no
 * accepted kind, a declared type not accepted, or a declared type the content contradicts.
 */
export function checkUploadType(file: {
  fileName: string;
  mediaType: string;
  content: Buffer;
}): { mediaType: string } | { refused: string } {
  const found = contentKind(file.content);
  if (found === undefined) {
    return { refused: `${file.fileName}: the content is none of the accepted kinds (${acceptedList})` };
  }
  const declared = file.mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (declared === '' || declared === 'application/octet-stream') {
    return { mediaType: keptType(found, file.fileName) };
  }
  const expected = declaredKind(declared);
  if (expected === undefined) {
    return { refused: `${file.fileName}: files of type ${declared} are not accepted (${acceptedList})` };
  }
  if (expected !== found) {
    return {
      refused: `${file.fileName}: declared as ${declared}, but the content is ${kindNames[found]}`,
    };
  }
  if (declared === 'application/json') {
    try {
      JSON.parse(file.content.toString('utf8'));
    } catch {
      return { refused: `${file.fileName}: declared as application/json, but the content is not JSON` };
    }
  }
  return { mediaType: declared };
}
