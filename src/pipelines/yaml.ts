import type { Document } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, visit } from 'yaml';
import { parseYamlDocument } from '../kernel/index.js';
import { PipelineError } from './errors.js';

/** A place in a file; lines and columns are 1-based. */
export interface Position {
  path: string;
  line: number;
  column: number;
}

export interface YamlScalar {
  kind: 'scalar';
  /** The value as text (numbers and booleans as YAML wrote them; null as ''). */
  text: string;
  isNull: boolean;
  position: Position;
  /** The scalar as written in the file, to locate a part of it (an expression inside a script). */
  raw: string;
}

export interface YamlEntry {
  key: string;
  keyPosition: Position;
  value: YamlValue;
}

export interface YamlMap {
  kind: 'map';
  entries: YamlEntry[];
  position: Position;
}

export interface YamlSeq {
  kind: 'seq';
  items: YamlValue[];
  position: Position;
}

export type YamlValue = YamlScalar | YamlMap | YamlSeq;

export interface YamlLimits {
  /** Files larger than this are refused (PIPELINE_TOO_LARGE). */
  maxBytes: number;
  /** Nodes produced after alias and merge expansion; bounds alias bombs (PIPELINE_ALIAS_LIMIT). */
  maxNodes: number;
  maxDepth: number;
}

export const defaultYamlLimits: YamlLimits = { maxBytes: 1024 * 1024, maxNodes: 100_000, maxDepth: 64 };

/**
 * Parses one YAML document into a small located tree: every value knows its file, line and
 * column. Aliases and `<<` merge keys are expanded here under a node budget, so an alias bomb
 * ends in a typed error instead of exhausting memory.
 */
export function parseYaml(
  path: string,
  text: string,
  limits: YamlLimits = defaultYamlLimits,
): YamlValue | undefined {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    throw new PipelineError('PIPELINE_TOO_LARGE', `${path} is larger than ${limits.maxBytes} bytes`, {
      location: { path },
    });
  }
  const lineCounter = new LineCounter();
  const document = parseYamlDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: (a, b) => isScalar(a) && isScalar(b) && a.value === b.value && a.value !== '<<',
  });
  const first = document.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    throw new PipelineError(
      'PIPELINE_YAML_INVALID',
      `${path} is not valid YAML: ${firstLine(first.message)}`,
      {
        location: at ? { path, line: at.line, column: at.col } : { path },
      },
    );
  }
  if (document.contents === null) return undefined;
  const converter = new Converter(path, text, lineCounter, document, limits);
  return converter.convert(document.contents, 0);
}

/**
 * Maps each alias node to the node its anchor names, in one walk in document order (a later
 * anchor of the same name takes over from that point on, as YAML says).
 */
function resolveAliases(document: Document): Map<unknown, unknown> {
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  visit(document, (_key, node) => {
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      return;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node);
  });
  return targets;
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}

class Converter {
  private nodes = 0;
  /**
   * Every alias's target, found in one walk of the document (`Alias.resolve` walks the whole
   * document for each alias, which made 140,000 aliases quadratic).
   */
  private readonly aliasTargets: Map<unknown, unknown>;

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly lineCounter: LineCounter,
    document: Document,
    private readonly limits: YamlLimits,
  ) {
    this.aliasTargets = resolveAliases(document);
  }

  convert(node: unknown, depth: number): YamlValue {
    this.nodes += 1;
    if (this.nodes > this.limits.maxNodes) {
      throw new PipelineError(
        'PIPELINE_ALIAS_LIMIT',
        `${this.path} expands to more than ${this.limits.maxNodes} values (alias expansion is bounded)`,
        { location: this.positionOfNode(node) },
      );
    }
    if (depth > this.limits.maxDepth) {
      throw new PipelineError(
        'PIPELINE_NESTING_LIMIT',
        `${this.path} nests deeper than ${this.limits.maxDepth}`,
        {
          location: this.positionOfNode(node),
        },
      );
    }
    if (isAlias(node)) {
      const target = this.aliasTargets.get(node);
      if (!target) return this.nullAt(node);
      return this.convert(target, depth + 1);
    }
    if (isMap(node)) {
      const map: YamlMap = { kind: 'map', entries: [], position: this.positionOfNode(node) };
      const merged: YamlEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = this.keyText(pair.key);
        if (key === '<<') {
          merged.push(...this.mergeEntries(pair.value, depth + 1));
          continue;
        }
        map.entries.push({
          key,
          keyPosition: this.positionOfNode(pair.key),
          value: pair.value === null ? this.nullAt(pair.key) : this.convert(pair.value, depth + 1),
        });
      }
      // Keys written in the map win over merged ones; among merged maps, the first wins (YAML merge).
      const present = new Set(map.entries.map((entry) => entry.key));
      for (const entry of merged) {
        if (present.has(entry.key)) continue;
        present.add(entry.key);
        map.entries.push(entry);
      }
      return map;
    }
    if (isSeq(node)) {
      return {
        kind: 'seq',
        items: node.items.map((item) => (item === null ? this.nullAt(node) : this.convert(item, depth + 1))),
        position: this.positionOfNode(node),
      };
    }
    if (isScalar(node)) {
      const value = node.value;
      const range = node.range;
      return {
        kind: 'scalar',
        text: value === null || value === undefined ? '' : String(value),
        isNull: value === null || value === undefined,
        position: this.positionOfNode(node),
        raw: range ? this.text.slice(range[0], range[1]) : String(value ?? ''),
      };
    }
    return this.nullAt(node);
  }

  private mergeEntries(value: unknown, depth: number): YamlEntry[] {
    const converted = value === null ? undefined : this.convert(value, depth);
    if (!converted) return [];
    if (converted.kind === 'map') return converted.entries;
    if (converted.kind === 'seq') {
      const entries: YamlEntry[] = [];
      for (const item of converted.items) if (item.kind === 'map') entries.push(...item.entries);
      return entries;
    }
    return [];
  }

  private keyText(key: unknown): string {
    if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
    if (isAlias(key)) {
      const target = this.aliasTargets.get(key);
      return isScalar(target) ? String(target.value ?? '') : '';
    }
    return '';
  }

  private nullAt(node: unknown): YamlScalar {
    return { kind: 'scalar', text: '', isNull: true, position: this.positionOfNode(node), raw: '' };
  }

  private positionOfNode(node: unknown): Position {
    const range = (node as Node | null | undefined)?.range;
    if (!range) return { path: this.path, line: 1, column: 1 };
    const at = this.lineCounter.linePos(range[0]);
    return { path: this.path, line: at.line, column: at.col };
  }
}

/** The value of `key` in a map, or undefined. */
export function field(value: YamlValue | undefined, key: string): YamlValue | undefined {
  if (value?.kind !== 'map') return undefined;
  for (const entry of value.entries) if (entry.key === key) return entry.value;
  return undefined;
}

export function entry(value: YamlValue | undefined, key: string): YamlEntry | undefined {
  if (value?.kind !== 'map') return undefined;
  return value.entries.find((candidate) => candidate.key === key);
}

/** The text of a scalar value, or undefined for maps, sequences and nulls. */
export function text(value: YamlValue | undefined): string | undefined {
  return value?.kind === 'scalar' && !value.isNull ? value.text : undefined;
}

/** A scalar or a sequence of scalars, as a list of scalars (GitHub accepts both in many places). */
export function scalars(value: YamlValue | undefined): YamlScalar[] {
  if (!value) return [];
  if (value.kind === 'scalar') return value.isNull ? [] : [value];
  if (value.kind === 'seq')
    return value.items.filter((item): item is YamlScalar => item.kind === 'scalar' && !item.isNull);
  return [];
}

export function items(value: YamlValue | undefined): YamlValue[] {
  return value?.kind === 'seq' ? value.items : [];
}

export function entries(value: YamlValue | undefined): YamlEntry[] {
  return value?.kind === 'map' ? value.entries : [];
}

/**
 * The position of `needle` inside a scalar as written (a `${{ }}` expression in a block script),
 * else the scalar's own position; `occurrence` picks a later one of identical needles.
 */
export function positionWithin(scalar: YamlScalar, needle: string, occurrence = 0): Position {
  let index = scalar.raw.indexOf(needle);
  for (let skip = 0; skip < occurrence && index !== -1; skip += 1) {
    const next = scalar.raw.indexOf(needle, index + needle.length);
    if (next === -1) break;
    index = next;
  }
  if (index === -1) return scalar.position;
  const before = scalar.raw.slice(0, index);
  const newlines = before.split('\n').length - 1;
  if (newlines === 0) return { ...scalar.position, column: scalar.position.column + index };
  return {
    path: scalar.position.path,
    line: scalar.position.line + newlines,
    column: index - before.lastIndexOf('\n'),
  };
}
