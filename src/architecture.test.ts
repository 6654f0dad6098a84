/**
 * The shape of src/, held by a test (docs/architecture.md explains it):
 *   - arrows run one way, from a higher layer to a strictly lower one;
 *   - a unit (a folder directly under src/, or any deeper folder with an index.ts) is entered
 *     only through its index.ts, and never through its own index.ts from inside;
 *   - no circle between folders;
 *   - nothing below src/cli/ reads process.env;
 *   - production code never imports test support (src/testing/, __fixtures__/);
 *   - a collector's checks.ts is pure: no I/O, no store, no clock.
 * The rule functions are pure and tested on small inline examples first, so the test can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Layers, low to high. A folder may import only folders of a strictly lower rank. The domains
 * (rank 2.x) are ordered among themselves: a domain imports only domains of a lower tier.
 */
const layerOf: Readonly<Record<string, number>> = {
  kernel: 0,
  store: 1,
  catalog: 1,
  policy: 1.1, // -> catalog (exceptions and attestations must name catalog controls)
  // domains, tier 0: depend on nothing but the layers below
  ecosystems: 2,
  'end-of-life': 2,
  secrets: 2,
  pipelines: 2,
  provenance: 2,
  ledger: 2,
  'personal-data': 2,
  'source-control': 2,
  // domains, tier 1: built on a tier-0 domain
  sbom: 2.1, // -> ecosystems
  advisories: 2.1, // -> ecosystems
  identity: 2.1, // -> ledger (canonical JSON), provenance (keys)
  runtimes: 2.1, // -> end-of-life, pipelines
  // domains, tier 2
  vulns: 2.2, // -> advisories, sbom, ecosystems, end-of-life
  changes: 2.2, // -> ledger, identity
  people: 2.2, // -> ledger, identity (one name normalisation)
  records: 2.3, // -> people, ledger, provenance, source-control
  'evidence-pack': 2.4, // -> records, ledger, catalog (framework views)
  'evidence-import': 2.4, // -> ledger (an entry per import), records (registered signers), provenance
  collectors: 3,
  engine: 4,
  report: 4,
  gate: 4.1, // -> engine (exceptions)
  fleet: 4.2, // -> engine, collectors, records (runs assessments), ledger, store
  cli: 5,
  server: 4.5, // shipguard serve: the HTTP server and its pages (the CLI starts it)
};

/** Test support: may import anything; production code may not import it. */
const testSupportFolder = 'testing';

/**
 * process.env read below src/cli/, by file, with the reason. Permanent: kernel/child-environment.ts
 * passes the environment on to git and the signing tools (PATH, HOME), which is not configuration.
 * TODO (issue 11, plumbing): the rest must shrink to nothing, as each command reads the environment
 * once and passes values down (a store, a timestamp, a forge token) through the collector context.
 */
const processEnvAllowed: Readonly<Record<string, string>> = {
  'src/kernel/child-environment.ts': 'passes the environment on to child programs',
};

interface ImportEdge {
  from: string;
  to: string;
}

/** `src/a/b.ts` -> `a`; undefined for files directly in src/. */
function folderOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

function isTestCode(file: string): boolean {
  return (
    file.endsWith('.test.ts') ||
    file.split('/').includes('__fixtures__') ||
    folderOf(file) === testSupportFolder
  );
}

function isTestSupportDirectory(directory: string): boolean {
  return directory.split('/').includes('__fixtures__') || folderOf(`${directory}/x`) === testSupportFolder;
}

/** Why an import breaks the layering, or undefined when it does not. Production files only. */
function layerViolation(edge: ImportEdge): string | undefined {
  const from = folderOf(edge.from);
  const to = folderOf(edge.to);
  if (from === undefined || to === undefined || from === to) return undefined;
  if (isTestCode(edge.from)) return undefined;
  if (to === testSupportFolder || isTestCode(edge.to)) {
    return `${edge.from} imports test support ${edge.to}`;
  }
  const fromRank = layerOf[from];
  const toRank = layerOf[to];
  if (fromRank === undefined) return `src/${from} has no layer: add it to layerOf`;
  if (toRank === undefined) return `src/${to} has no layer: add it to layerOf`;
  if (toRank >= fromRank) return `${edge.from} (${from}, ${fromRank}) imports ${edge.to} (${to}, ${toRank})`;
  return undefined;
}

/**
 * Why an import enters a unit past its index.ts, or undefined. `units` holds every directory
 * that is entered only through its index.ts.
 */
function deepImportViolation(edge: ImportEdge, units: ReadonlySet<string>): string | undefined {
  const target = posix.dirname(edge.to);
  if (isTestSupportDirectory(target)) return undefined;
  const parts = target.split('/');
  for (let length = 2; length <= parts.length; length += 1) {
    const directory = parts.slice(0, length).join('/');
    if (edge.from.startsWith(`${directory}/`)) continue;
    if (!units.has(directory)) return undefined;
    if (edge.to === `${directory}/index.ts`) return undefined;
    return `${edge.from} imports ${edge.to} past ${directory}/index.ts`;
  }
  return undefined;
}

/** A file that imports the index.ts of a unit it sits in (a circle through the barrel). */
function ownIndexViolation(edge: ImportEdge, units: ReadonlySet<string>): string | undefined {
  if (!edge.to.endsWith('/index.ts')) return undefined;
  const directory = posix.dirname(edge.to);
  if (!units.has(directory) || !edge.from.startsWith(`${directory}/`)) return undefined;
  if (edge.from === edge.to) return undefined;
  return `${edge.from} imports its own unit's ${edge.to}; import the file it needs`;
}

/** Every elementary circle's smallest representative, as folder lists closed on their first. */
function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const cycles = new Map<string, string[]>();
  const nodes = [...graph.keys()].sort();
  for (const start of nodes) {
    const path: string[] = [start];
    const walk = (node: string): void => {
      for (const next of [...(graph.get(node) ?? [])].sort()) {
        if (next === start) {
          const cycle = [...path, start];
          const key = [...path].sort().join(' ');
          if (!cycles.has(key)) cycles.set(key, cycle);
        } else if (next > start && !path.includes(next)) {
          path.push(next);
          walk(next);
          path.pop();
        }
      }
    };
    walk(start);
  }
  return [...cycles.values()];
}

function folderGraph(edges: readonly ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)?.add(to);
  }
  return graph;
}

/** Relative module specifiers of a file: imports, re-exports and dynamic imports. */
function importSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Whether a file reads the process environment (`process.env`, `process['env']`, `node:process`'s env). */
function readsProcessEnvironment(fileName: string, text: string): boolean {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  let reads = false;
  const visit = (node: ts.Node): void => {
    if (reads) return;
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process' &&
      node.name.text === 'env'
    ) {
      reads = true;
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process' &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === 'env'
    ) {
      reads = true;
    } else if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer &&
      ts.isIdentifier(node.initializer) &&
      node.initializer.text === 'process' &&
      node.name.elements.some((element) => (element.propertyName ?? element.name).getText(source) === 'env')
    ) {
      reads = true;
    } else if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      ['node:process', 'process'].includes(node.moduleSpecifier.text) &&
      node.importClause?.namedBindings &&
      ts.isNamedImports(node.importClause.namedBindings) &&
      node.importClause.namedBindings.elements.some(
        (element) => (element.propertyName ?? element.name).text === 'env',
      )
    ) {
      reads = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return reads;
}

/** Modules a pure check may not touch: file system, processes, network, the store. */
const ioModules = new Set([
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'http2',
  'dns',
  'dgram',
  'tls',
  'worker_threads',
  'sqlite',
  'process',
]);

/** Why a check (collectors/<name>/checks.ts) is not pure, or undefined: I/O, the store or the clock. */
function impureCheckReason(fileName: string, text: string): string | undefined {
  for (const specifier of importSpecifiers(fileName, text)) {
    if (ioModules.has(specifier.replace(/^node:/, ''))) return `${fileName} imports ${specifier}`;
    const target = resolveImport(fileName, specifier);
    if (target !== undefined && folderOf(target) === 'store') return `${fileName} imports the store`;
  }
  if (/\bnew Date\(\s*\)|\bDate\.now\(|\bprocess\./.test(text)) {
    return `${fileName} reads the clock or the process; take the time from the check context`;
  }
  return undefined;
}

/** Where an import of `specifier` in `from` lands, as a src-relative path of a .ts file. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
}

// ---------------------------------------------------------------------------------------------
// The real tree

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

function listTypeScript(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(repositoryRoot, directory), { withFileTypes: true })) {
    const path = `${directory}/${entry.name}`;
    if (entry.isDirectory()) found.push(...listTypeScript(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

const files = listTypeScript('src').map(toPosix);
const texts = new Map(files.map((file) => [file, readFileSync(join(repositoryRoot, file), 'utf8')]));
const topFolders = readdirSync(join(repositoryRoot, 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const units = new Set([
  ...topFolders.filter((name) => name !== testSupportFolder).map((name) => `src/${name}`),
  ...files
    .filter((file) => file.endsWith('/index.ts') && !isTestCode(file))
    .map((file) => posix.dirname(file)),
]);
const edges: ImportEdge[] = files.flatMap((file) =>
  importSpecifiers(file, texts.get(file) ?? '').flatMap((specifier) => {
    const to = resolveImport(file, specifier);
    return to === undefined ? [] : [{ from: file, to }];
  }),
);
const productionEdges = edges.filter((edge) => !isTestCode(edge.from));

describe('architecture rules (on inline examples)', () => {
  it('allows an import down the layers and refuses one up, sideways within a tier, or into test support', () => {
    expect(
      layerViolation({ from: 'src/collectors/a/collect.ts', to: 'src/secrets/index.ts' }),
    ).toBeUndefined();
    expect(layerViolation({ from: 'src/vulns/match.ts', to: 'src/advisories/index.ts' })).toBeUndefined();
    expect(layerViolation({ from: 'src/kernel/git.ts', to: 'src/engine/index.ts' })).toMatch(/kernel, 0/);
    expect(layerViolation({ from: 'src/source-control/owners.ts', to: 'src/collectors/index.ts' })).toMatch(
      /source-control/,
    );
    expect(layerViolation({ from: 'src/secrets/scan.ts', to: 'src/pipelines/index.ts' })).toMatch(
      /secrets, 2\)/,
    );
    expect(layerViolation({ from: 'src/advisories/osv.ts', to: 'src/vulns/index.ts' })).toMatch(/advisories/);
    expect(layerViolation({ from: 'src/store/store.ts', to: 'src/testing/git-repository.ts' })).toMatch(
      /test support/,
    );
    expect(layerViolation({ from: 'src/store/store.ts', to: 'src/store/__fixtures__/x.ts' })).toBeUndefined();
    expect(layerViolation({ from: 'src/ledger/x.ts', to: 'src/store/__fixtures__/x.ts' })).toMatch(
      /test support/,
    );
    expect(layerViolation({ from: 'src/newfolder/x.ts', to: 'src/kernel/index.ts' })).toMatch(/no layer/);
  });

  it('lets test code import any layer', () => {
    expect(layerViolation({ from: 'src/kernel/git.test.ts', to: 'src/cli/index.ts' })).toBeUndefined();
    expect(layerViolation({ from: 'src/testing/run-cli.ts', to: 'src/cli/index.ts' })).toBeUndefined();
  });

  it('refuses an import past a unit index.ts, at any depth, and allows one inside the unit', () => {
    const known = new Set(['src/secrets', 'src/collectors', 'src/collectors/review', 'src/report']);
    expect(
      deepImportViolation({ from: 'src/gate/gather.ts', to: 'src/secrets/index.ts' }, known),
    ).toBeUndefined();
    expect(
      deepImportViolation({ from: 'src/gate/gather.ts', to: 'src/secrets/scan/walk.ts' }, known),
    ).toMatch(/past src\/secrets\/index.ts/);
    expect(
      deepImportViolation({ from: 'src/secrets/scan/walk.ts', to: 'src/secrets/rules/index.ts' }, known),
    ).toBeUndefined();
    expect(
      deepImportViolation(
        { from: 'src/collectors/signatures/checks.ts', to: 'src/collectors/review/checks.ts' },
        known,
      ),
    ).toMatch(/past src\/collectors\/review\/index.ts/);
    expect(
      deepImportViolation({ from: 'src/collectors/index.ts', to: 'src/collectors/review/index.ts' }, known),
    ).toBeUndefined();
    expect(
      deepImportViolation(
        { from: 'src/collectors/ci/checks.test.ts', to: 'src/testing/git-repository.ts' },
        known,
      ),
    ).toBeUndefined();
    expect(
      deepImportViolation({ from: 'src/cli/x.test.ts', to: 'src/secrets/__fixtures__/keys.ts' }, known),
    ).toBeUndefined();
  });

  it('refuses an import of the index of the unit a file sits in', () => {
    const known = new Set(['src/secrets']);
    expect(ownIndexViolation({ from: 'src/secrets/scan.ts', to: 'src/secrets/index.ts' }, known)).toMatch(
      /own/,
    );
    expect(ownIndexViolation({ from: 'src/gate/x.ts', to: 'src/secrets/index.ts' }, known)).toBeUndefined();
  });

  it('finds circles between folders, once each', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set<string>()],
      ['e', new Set(['f'])],
      ['f', new Set(['e'])],
    ]);
    expect(findCycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'f', 'e'],
    ]);
    expect(findCycles(new Map([['a', new Set(['b'])]]))).toEqual([]);
    expect(
      folderGraph([
        { from: 'src/a/x.ts', to: 'src/b/index.ts' },
        { from: 'src/a/x.ts', to: 'src/a/y.ts' },
      ]),
    ).toEqual(new Map([['a', new Set(['b'])]]));
  });

  it('reads every kind of import and every way to reach process.env', () => {
    const text = [
      "import { a } from '../a/index.js';",
      "import type { B } from './b.js';",
      "export { c } from '../c/index.js';",
      "const d = await import('./d.js');",
      "type E = import('../e/index.js').E;",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(importSpecifiers('x.ts', text)).toEqual([
      '../a/index.js',
      './b.js',
      '../c/index.js',
      './d.js',
      '../e/index.js',
      'node:fs',
    ]);
    expect(resolveImport('src/gate/gather.ts', '../secrets/index.js')).toBe('src/secrets/index.ts');
    expect(resolveImport('src/gate/gather.ts', 'node:fs')).toBeUndefined();
    expect(readsProcessEnvironment('x.ts', 'const x = process.env.HOME;')).toBe(true);
    expect(readsProcessEnvironment('x.ts', "const x = process['env'];")).toBe(true);
    expect(readsProcessEnvironment('x.ts', 'const { env } = process;')).toBe(true);
    expect(readsProcessEnvironment('x.ts', "import { env } from 'node:process';")).toBe(true);
    expect(
      readsProcessEnvironment('x.ts', '// process.env is read by the CLI\nconst x = process.cwd();'),
    ).toBe(false);
  });
});

describe('pure checks (on inline examples)', () => {
  it('refuses I/O, the store and the clock in a check, and allows domain functions', () => {
    const file = 'src/collectors/a/checks.ts';
    expect(impureCheckReason(file, "import { readFileSync } from 'node:fs';")).toMatch(/node:fs/);
    expect(impureCheckReason(file, "import { openStore } from '../../store/index.js';")).toMatch(/store/);
    expect(impureCheckReason(file, 'const now = new Date();')).toMatch(/clock/);
    expect(impureCheckReason(file, 'const now = Date.now();')).toMatch(/clock/);
    expect(
      impureCheckReason(file, "import { supportStatus } from '../../end-of-life/index.js';"),
    ).toBeUndefined();
    expect(impureCheckReason(file, 'const at = new Date(facts.at);')).toBeUndefined();
  });
});

describe('architecture of src/', () => {
  it('gives every folder a layer and an index.ts', () => {
    const missing = topFolders.filter((name) => name !== testSupportFolder && layerOf[name] === undefined);
    expect(missing, 'add these folders to layerOf').toEqual([]);
    const withoutIndex = topFolders.filter(
      (name) => name !== testSupportFolder && !files.includes(`src/${name}/index.ts`),
    );
    expect(withoutIndex).toEqual([]);
  });

  it('runs every arrow from a higher layer to a lower one', () => {
    const violations = productionEdges.flatMap((edge) => layerViolation(edge) ?? []);
    expect(violations).toEqual([]);
  });

  it('enters every unit through its index.ts', () => {
    const violations = edges.flatMap((edge) => deepImportViolation(edge, units) ?? []);
    expect(violations).toEqual([]);
  });

  it('never imports the index.ts of the unit a file sits in', () => {
    const violations = productionEdges.flatMap((edge) => ownIndexViolation(edge, units) ?? []);
    expect(violations).toEqual([]);
  });

  it('has no circle between folders', () => {
    expect(findCycles(folderGraph(productionEdges))).toEqual([]);
  });

  it('reads process.env only in src/cli/ (and the named exceptions)', () => {
    const readers = files.filter(
      (file) =>
        !isTestCode(file) && folderOf(file) !== 'cli' && readsProcessEnvironment(file, texts.get(file) ?? ''),
    );
    const unexpected = readers.filter((file) => processEnvAllowed[file] === undefined);
    expect(unexpected).toEqual([]);
    const stale = Object.keys(processEnvAllowed).filter((file) => !readers.includes(file));
    expect(stale, 'remove these from processEnvAllowed: they no longer read process.env').toEqual([]);
  });

  it('keeps every check pure: no I/O, no store, no clock', () => {
    const checks = files.filter((file) => /^src\/collectors\/[^/]+\/checks\.ts$/.test(file));
    expect(checks.length).toBeGreaterThan(0);
    const impure = checks.flatMap((file) => impureCheckReason(file, texts.get(file) ?? '') ?? []);
    expect(impure).toEqual([]);
  });

  it('names the owner of every store table in docs/architecture.md, and only the owner writes it', () => {
    const doc = readFileSync(join(repositoryRoot, 'docs/architecture.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Who owns each store table'));
    const owners = new Map<string, string>();
    for (const line of section.slice(0, section.indexOf('\n## ', 5)).split('\n')) {
      const cells = line.startsWith('| `') ? line.split('|').map((cell) => cell.trim()) : [];
      const owner = /^`([a-z-]+)`/.exec(cells[3] ?? '')?.[1];
      if (owner === undefined) continue;
      for (const match of (cells[1] ?? '').matchAll(/`([a-z_]+)`/g)) owners.set(match[1] as string, owner);
    }
    const created = files
      .filter((file) => file.startsWith('src/store/migrations/') && !isTestCode(file))
      .flatMap((file) =>
        [...(texts.get(file) ?? '').matchAll(/createTable\('([a-z_]+)'\)/g)].map((m) => m[1]),
      );
    expect(created.length).toBeGreaterThan(20);
    expect(created.filter((table) => !owners.has(table as string))).toEqual([]);
    const writes =
      /(?:insertInto|updateTable|deleteFrom)\(\s*'([a-z_]+)'|\b(?:insert\s+into|delete\s+from)\s+([a-z_]+)\b/gi;
    const strangers = files
      .filter((file) => !isTestCode(file) && !file.startsWith('src/store/migrations/'))
      .flatMap((file) =>
        [...(texts.get(file) ?? '').matchAll(writes)].flatMap((match) => {
          const table = (match[1] ?? match[2] ?? '').toLowerCase();
          const owner = owners.get(table);
          return owner === undefined || owner === folderOf(file)
            ? []
            : [`${file} writes ${table} (owner: ${owner})`];
        }),
      );
    expect(strangers).toEqual([]);
  });

  it("keeps the gate's gathering a composition of domain calls: under 200 lines (issue 11)", () => {
    const lines = (texts.get('src/gate/gather.ts') ?? '').split('\n').length;
    expect(lines).toBeGreaterThan(50);
    expect(lines).toBeLessThan(200);
  });

  it('resolves every relative import to a file that exists', () => {
    const missing = edges.filter((edge) => !texts.has(edge.to) && !edge.to.endsWith('.json'));
    expect(missing.map((edge) => `${edge.from} -> ${relative('src', normalize(edge.to))}`)).toEqual([]);
  });
});
