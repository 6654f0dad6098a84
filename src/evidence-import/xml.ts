import { EvidenceImportError } from './errors.js';

/** One XML element: its name, attributes, children and text (entities already decoded). */
export interface XmlElement {
  name: string;
  line: number;
  attributes: ReadonlyMap<string, string>;
  children: XmlElement[];
  text: string;
}

const maxDepth = 200;
const maxElements = 2_000_000;
const maxTextPerElement = 64 * 1024;

/**
 * A small, bounded XML reader for reports (JUnit, Cobertura): elements, attributes and text.
 * No DTD is read and no entity is ever expanded beyond the five predefined ones and numeric
 * character references: a document that declares entities (`<!DOCTYPE … [ <!ENTITY …`) is refused,
 * so neither "billion laughs" nor external entities can reach the file system or the network.
 * Text longer than 64 KiB per element is cut (reports put whole logs in `<system-out>`).
 */
export function parseXml(path: string, text: string): XmlElement {
  const root: XmlElement = { name: '#document', line: 1, attributes: new Map(), children: [], text: '' };
  const stack: XmlElement[] = [root];
  let index = 0;
  // Lines are counted forward once: offsets asked for only grow, except in an error message.
  let line = 1;
  let lineCountedTo = 0;
  let elements = 0;
  const lineOf = (offset: number): number => {
    for (
      let at = text.indexOf('\n', lineCountedTo);
      at !== -1 && at < offset;
      at = text.indexOf('\n', at + 1)
    ) {
      line += 1;
      lineCountedTo = at + 1;
    }
    return line;
  };
  const malformed = (message: string, offset: number): EvidenceImportError =>
    new EvidenceImportError('EVIDENCE_MALFORMED', `${path} is not well-formed XML: ${message}`, {
      location: { path, line: lineOf(offset) },
    });
  const appendText = (element: XmlElement, raw: string, decode: boolean): void => {
    if (element.text.length >= maxTextPerElement) return;
    const value = decode ? decodeEntities(raw, () => malformed('an unknown entity reference', index)) : raw;
    element.text += value.slice(0, maxTextPerElement - element.text.length);
  };
  while (index < text.length) {
    const open = text.indexOf('<', index);
    const current = stack[stack.length - 1] as XmlElement;
    if (open === -1) {
      if (text.slice(index).trim() !== '' && current !== root) appendText(current, text.slice(index), true);
      break;
    }
    if (open > index && current !== root) appendText(current, text.slice(index, open), true);
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      if (end === -1) throw malformed('unterminated comment', open);
      index = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open);
      if (end === -1) throw malformed('unterminated CDATA section', open);
      appendText(current, text.slice(open + 9, end), false);
      index = end + 3;
      continue;
    }
    if (text.startsWith('<!DOCTYPE', open) || text.startsWith('<!doctype', open)) {
      const end = text.indexOf('>', open);
      const declaration = text.slice(open, end === -1 ? undefined : end + 1);
      if (end === -1 || declaration.includes('[') || /\bENTITY\b|\bSYSTEM\b|\bPUBLIC\b/.test(declaration)) {
        throw malformed('a document type declaration with entities or external references is refused', open);
      }
      index = end + 1;
      continue;
    }
    const close = findTagEnd(text, open + 1);
    if (close === -1) throw malformed('unterminated tag', open);
    const tag = text.slice(open + 1, close);
    index = close + 1;
    if (tag.startsWith('?')) continue;
    if (tag.startsWith('!')) throw malformed(`unexpected <${tag.slice(0, 20)}`, open);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (current.name !== name) throw malformed(`</${name.slice(0, 100)}> closes <${current.name}>`, open);
      stack.pop();
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = /^[^\s/>]+/.exec(body)?.[0] ?? '';
    if (name === '') throw malformed('an element without a name', open);
    elements += 1;
    if (elements > maxElements) throw malformed(`more than ${maxElements} elements`, open);
    const element: XmlElement = {
      name,
      line: lineOf(open),
      attributes: parseAttributes(body.slice(name.length), () =>
        malformed(`bad attributes on <${name}>`, open),
      ),
      children: [],
      text: '',
    };
    current.children.push(element);
    if (!selfClosing) {
      if (stack.length > maxDepth) throw malformed('elements nested too deep', open);
      stack.push(element);
    }
  }
  if (stack.length > 1) {
    const unclosed = stack[stack.length - 1] as XmlElement;
    throw new EvidenceImportError('EVIDENCE_MALFORMED', `${path}: <${unclosed.name}> is never closed`, {
      location: { path, line: unclosed.line },
    });
  }
  return root;
}

/** The end of a tag: the first `>` outside a quoted attribute value. */
function findTagEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let at = from; at < text.length; at++) {
    const character = text[at];
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '>') {
      return at;
    }
  }
  return -1;
}

const attributePattern = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

function parseAttributes(source: string, malformed: () => Error): Map<string, string> {
  const attributes = new Map<string, string>();
  attributePattern.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (source.slice(at).trim() === '') break;
    attributePattern.lastIndex = at;
    const match = attributePattern.exec(source);
    if (!match) throw malformed();
    const name = match[1] as string;
    attributes.set(name, decodeEntities(match[2] ?? match[3] ?? '', malformed));
    at = attributePattern.lastIndex;
  }
  return attributes;
}

const predefined: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and numeric references; any other entity is an error. */
function decodeEntities(value: string, malformed: () => Error): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;\s&]{0,12});/g, (_whole, name: string) => {
    const known = predefined[name];
    if (known !== undefined) return known;
    const numeric = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(name);
    if (numeric) {
      const digits = numeric[1] as string;
      const code = digits.startsWith('x')
        ? Number.parseInt(digits.slice(1), 16)
        : Number.parseInt(digits, 10);
      if (code <= 0x10ffff) return String.fromCodePoint(code);
    }
    throw malformed();
  });
}

/** The direct children of an element with this name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** Every descendant element with this name, depth first, in document order. */
export function descendantsNamed(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const pending: XmlElement[] = [...element.children].reverse();
  while (pending.length > 0) {
    const next = pending.pop() as XmlElement;
    if (next.name === name) found.push(next);
    for (let at = next.children.length - 1; at >= 0; at--) pending.push(next.children[at] as XmlElement);
  }
  return found;
}
