import { maxVersionLength } from '../npm/index.js';

/**
 * Maven's ComparableVersion: the version is split at `.`, `-` and digit/letter transitions into
 * a tree of lists (each `-` or transition opens a sub-list); numbers compare numerically,
 * qualifiers by alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp,
 * then any other word lexically; trailing "null" items (0, "", empty lists) are dropped.
 */
export function compareMavenVersions(left: string, right: string): number {
  return compareItems(parseMavenVersion(left), parseMavenVersion(right));
}

type Item =
  | { kind: 'int'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: Item[] };

const qualifiers = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const aliases: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const releaseIndex = String(qualifiers.indexOf(''));

function comparableQualifier(qualifier: string): string {
  const index = qualifiers.indexOf(qualifier);
  return index === -1 ? `${qualifiers.length}-${qualifier}` : String(index);
}

function stringItem(value: string, followedByDigit: boolean): Item {
  let text = value;
  if (followedByDigit && text.length === 1) {
    if (text === 'a') text = 'alpha';
    else if (text === 'b') text = 'beta';
    else if (text === 'm') text = 'milestone';
  }
  return { kind: 'string', value: aliases[text] ?? text };
}

function parseItem(isDigit: boolean, text: string): Item {
  return isDigit ? { kind: 'int', value: BigInt(text) } : stringItem(text, false);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'string') return comparableQualifier(item.value) === releaseIndex;
  return item.items.length === 0;
}

function normalize(list: Item[]): void {
  for (let index = list.length - 1; index >= 0; index--) {
    const last = list[index] as Item;
    if (isNull(last)) list.splice(index, 1);
    else if (last.kind !== 'list') break;
  }
}

export function parseMavenVersion(text: string): Item {
  const version = text.trim().slice(0, maxVersionLength).toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root.items;
  const stack: Item[][] = [list];
  let isDigit = false;
  let start = 0;
  const openList = () => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let index = 0; index < version.length; index++) {
    const character = version[index] as string;
    if (character === '.') {
      list.push(
        index === start ? { kind: 'int', value: 0n } : parseItem(isDigit, version.slice(start, index)),
      );
      start = index + 1;
    } else if (character === '-') {
      const item =
        index === start
          ? ({ kind: 'int', value: 0n } as const)
          : parseItem(isDigit, version.slice(start, index));
      start = index + 1;
      // `1-ga-1` is `1-1`: a release qualifier between two hyphens opens no level of its own.
      if (item.kind === 'string' && item.value === '' && list.length === 0) continue;
      list.push(item);
      openList();
    } else if (character >= '0' && character <= '9') {
      if (!isDigit && index > start) {
        list.push(stringItem(version.slice(start, index), true));
        start = index;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && index > start) {
        list.push(parseItem(true, version.slice(start, index)));
        start = index;
        openList();
      }
      isDigit = false;
    }
  }
  if (version.length > start) list.push(parseItem(isDigit, version.slice(start)));
  while (stack.length > 0) normalize(stack.pop() as Item[]);
  return root;
}

/** ComparableVersion's Item.compareTo, with `undefined` for the missing item. */
function compareItems(left: Item | undefined, right: Item | undefined): number {
  if (left === undefined) return right === undefined ? 0 : -compareItems(right, undefined);
  if (left.kind === 'int') {
    if (right === undefined) return left.value === 0n ? 0 : 1;
    if (right.kind === 'int') return left.value === right.value ? 0 : left.value < right.value ? -1 : 1;
    return 1;
  }
  if (left.kind === 'string') {
    if (right === undefined) return compareText(comparableQualifier(left.value), releaseIndex);
    if (right.kind === 'int' || right.kind === 'list') return -1;
    return compareText(comparableQualifier(left.value), comparableQualifier(right.value));
  }
  if (right === undefined) {
    for (const item of left.items) {
      const result = compareItems(item, undefined);
      if (result !== 0) return result;
    }
    return 0;
  }
  if (right.kind === 'int') return -1;
  if (right.kind === 'string') return 1;
  for (let index = 0; index < Math.max(left.items.length, right.items.length); index++) {
    const result = compareItems(left.items[index], right.items[index]);
    if (result !== 0) return result;
  }
  return 0;
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
