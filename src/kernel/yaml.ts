import {
  type DocumentOptions,
  type ParseOptions,
  parse,
  parseDocument,
  type SchemaOptions,
  type ToJSOptions,
  YAMLParseError,
} from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

const tooDeep =
  'the document nests deeper than can be read (for example a line of hundreds of implicit keys, `a: b: c: …`)';

/**
 * The one way shipguard parses YAML. The `yaml` package recurses once per level of nesting, so a
 * line of many implicit keys (`a: b: c: …`, a few kilobytes) overflows the stack with a RangeError
 * that no caller expects; here it becomes the document's parse error, handled like any other.
 * Warnings never reach `process.emitWarning` (they would quote repository text past the boundary).
 */
export function parseYamlDocument(text: string, options: Options = {}): ReturnType<typeof parseDocument> {
  try {
    return parseDocument(text, { logLevel: 'error', ...options });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const document = parseDocument('', { logLevel: 'error' });
    document.errors.push(new YAMLParseError([0, 0], 'UNEXPECTED_TOKEN', tooDeep));
    return document;
  }
}

/** `parse` of the `yaml` package, with the same guard: too deep a document throws YAMLParseError. */
export function parseYamlValue(text: string, options: Options & ToJSOptions = {}): unknown {
  try {
    return parse(text, { logLevel: 'error', ...options });
  } catch (error) {
    if (error instanceof RangeError) throw new YAMLParseError([0, 0], 'UNEXPECTED_TOKEN', tooDeep);
    throw error;
  }
}
