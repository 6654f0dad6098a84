import { isMap, isScalar, isSeq, LineCounter, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { ProductId } from '../end-of-life/index.js';
import { parseYamlDocument } from '../kernel/index.js';
import { type Declaration, RuntimeParseError } from './parse.js';

/** Setup actions and the input that names the version, keyed by `owner/name` (any owner for setup-php). */
const setupActions: readonly { match: (action: string) => boolean; input: string; product: ProductId }[] = [
  { match: (action) => action === 'actions/setup-node', input: 'node-version', product: 'nodejs' },
  { match: (action) => action === 'actions/setup-python', input: 'python-version', product: 'python' },
  { match: (action) => action === 'actions/setup-go', input: 'go-version', product: 'go' },
  { match: (action) => action === 'actions/setup-java', input: 'java-version', product: 'java' },
  { match: (action) => action === 'actions/setup-dotnet', input: 'dotnet-version', product: 'dotnet' },
  { match: (action) => action === 'ruby/setup-ruby', input: 'ruby-version', product: 'ruby' },
  { match: (action) => action.endsWith('/setup-php'), input: 'php-version', product: 'php' },
];

const maxValues = 50;

/**
 * Runtime versions given to setup actions in a GitHub Actions workflow. A `${{ matrix.x }}`
 * version is expanded to every value of the job's matrix (`[18, 20]` and `include` entries),
 * each with its own line; other expressions are kept as declared, unreadable.
 */
export function parseWorkflow(text: string, path: string): Declaration[] {
  const lineCounter = new LineCounter();
  const document = parseYamlDocument(text, { lineCounter, uniqueKeys: false });
  if (document.errors.length > 0) {
    throw new RuntimeParseError('RUNTIME_FILE_MALFORMED', `${path} is not valid YAML`, {
      cause: document.errors[0],
      location: { path, line: document.errors[0]?.linePos?.[0].line ?? 1 },
    });
  }
  const lineOf = (node: Node): number => (node.range ? lineCounter.linePos(node.range[0]).line : 1);
  const declarations: Declaration[] = [];
  const jobs = document.get('jobs', true);
  if (!isMap(jobs)) return declarations;
  for (const jobPair of jobs.items) {
    const job = jobPair.value;
    if (!isMap(job)) continue;
    const steps = job.get('steps', true);
    if (!isSeq(steps)) continue;
    const matrix = job.getIn(['strategy', 'matrix'], true);
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = step.get('uses');
      if (typeof uses !== 'string') continue;
      const action = (uses.split('@')[0] ?? '').toLowerCase();
      const setup = setupActions.find((candidate) => candidate.match(action));
      if (!setup) continue;
      const inputs = step.get('with', true);
      if (!isMap(inputs)) continue;
      const value = inputs.get(setup.input, true);
      const source = `${action} ${setup.input}`;
      for (const item of versionValues(value, isMap(matrix) ? matrix : undefined)) {
        if (declarations.length >= maxValues) return declarations;
        declarations.push({
          product: setup.product,
          declared: item.text,
          source,
          line: lineOf(item.node),
          testedOnly: true,
        });
      }
    }
  }
  return declarations;
}

/** The scalar values behind a version input, expanding a matrix reference. */
function versionValues(value: unknown, matrix: YAMLMap | undefined): { text: string; node: Node }[] {
  if (isSeq(value)) return value.items.flatMap((item) => versionValues(item, matrix));
  if (!isScalar(value) || value.value === null || value.value === undefined) return [];
  const text = scalarText(value);
  const reference = /^\$\{\{\s*matrix\.([\w-]{1,100})\s*\}\}$/.exec(text)?.[1];
  if (reference !== undefined && matrix) {
    const expanded = matrixValues(matrix, reference);
    if (expanded.length > 0) return expanded;
  }
  // A multi-line value lists several versions (setup-python accepts that).
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => ({ text: line, node: value }));
}

function matrixValues(matrix: YAMLMap, key: string): { text: string; node: Node }[] {
  const values: { text: string; node: Node }[] = [];
  const collect = (node: unknown) => {
    if (isSeq(node)) for (const item of node.items) collect(item);
    else if (isScalar(node) && node.value !== null && node.value !== undefined) {
      values.push({ text: scalarText(node), node });
    }
  };
  collect(matrix.get(key, true));
  const include = matrix.get('include', true);
  if (isSeq(include)) {
    for (const entry of include.items) if (isMap(entry)) collect(entry.get(key, true));
  }
  return values;
}

/** The value as written: an unquoted `3.10` is the number 3.1 to YAML, but `3.10` to the reader. */
function scalarText(node: Scalar): string {
  return (typeof node.value === 'number' && node.source ? node.source : String(node.value)).trim();
}
