// Codemod: makes every import that enters another folder go through that folder's index.ts,
// adding the imported names to the index when they are missing. Run it after moving files or
// merging: `node scripts/route-imports.mjs` (then `npx biome check --write .` to merge and sort
// the rewritten imports). The rule it applies is the one src/architecture.test.ts holds, and
// docs/architecture.md explains:
//   - every folder directly under src/ except testing/ is a unit, and so is any deeper folder
//     that has an index.ts (collectors/<name>, ecosystems/<id>, report/<format>, …);
//   - a file outside a unit imports only the unit's index.ts;
//   - anything under __fixtures__/ and src/testing/ is test support and is imported directly.
// Names it cannot route (a name exported twice under one index, `import * as` of a deep file)
// are printed and left alone for a person to decide.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const roots = ['src', 'bench'];
const files = roots.flatMap((root) => (fs.existsSync(root) ? walk(root) : []));

function walk(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function isTestSupport(dir) {
  return dir === 'src/testing' || dir.startsWith('src/testing/') || dir.split('/').includes('__fixtures__');
}

function isUnit(dir) {
  if (isTestSupport(dir)) return false;
  const parts = dir.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return false;
  if (parts.length === 2) return true;
  return fs.existsSync(path.join(dir, 'index.ts'));
}

function inside(file, dir) {
  return file.startsWith(`${dir}/`);
}

/** The index.ts an import from `from` to `target` must go through, or undefined when it may go direct. */
function entryFor(from, target) {
  if (isTestSupport(path.dirname(target))) return undefined;
  const parts = path.dirname(target).split('/');
  for (let length = 2; length <= parts.length; length += 1) {
    const dir = parts.slice(0, length).join('/');
    if (inside(from, dir)) continue;
    if (isTestSupport(dir)) return undefined;
    if (!isUnit(dir)) return undefined;
    const index = `${dir}/index.ts`;
    return target === index ? undefined : index;
  }
  return undefined;
}

function relativeSpecifier(from, target) {
  let relative = path.relative(path.dirname(from), target).replace(/\.ts$/, '.js');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  return relative;
}

function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.normalize(path.join(path.dirname(from), specifier)).replace(/\.js$/, '.ts');
  return fs.existsSync(target) ? target : undefined;
}

const parsed = new Map();
function parse(file) {
  if (!parsed.has(file)) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    parsed.set(file, ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  }
  return parsed.get(file);
}

function hasExportModifier(node) {
  return (ts.getModifiers?.(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/** Names an index exports today: name -> { from (resolved file or the index itself), type }. */
function existingExports(index) {
  const names = new Map();
  for (const statement of parse(index).statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier);
      const from = specifier ? resolveSpecifier(index, statement.moduleSpecifier.text) : index;
      for (const element of statement.exportClause.elements) {
        names.set(element.name.text, { from, type: statement.isTypeOnly || element.isTypeOnly });
      }
    } else if (hasExportModifier(statement)) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name))
            names.set(declaration.name.text, { from: index, type: false });
        }
      } else if (statement.name && ts.isIdentifier(statement.name)) {
        const type = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
        names.set(statement.name.text, { from: index, type });
      }
    }
  }
  return names;
}

const additions = new Map(); // index -> Map(name -> { from, type })
const problems = [];

/** Makes `index` export `name` (declared in or re-exported by `source`); false when it cannot. */
function ensureExport(index, name, type, source) {
  const nested = entryFor(index, source);
  if (nested) {
    if (!ensureExport(nested, name, type, source)) return false;
    source = nested;
  }
  const present = existingExports(index).get(name);
  if (present) {
    if (present.from === source || present.from === index) {
      if (!type && present.type)
        problems.push(`${index}: ${name} is exported as a type only; export it as a value`);
      return true;
    }
    problems.push(`${index}: ${name} is already exported from ${present.from}, wanted from ${source}`);
    return false;
  }
  if (!additions.has(index)) additions.set(index, new Map());
  const pending = additions.get(index);
  const previous = pending.get(name);
  if (previous && previous.from !== source) {
    problems.push(`${index}: ${name} is exported by both ${previous.from} and ${source}`);
    return false;
  }
  pending.set(name, { from: source, type: type && (previous?.type ?? true) });
  return true;
}

const edits = new Map(); // file -> [{ start, end, text }]

for (const file of files) {
  const source = parse(file);
  for (const statement of source.statements) {
    const isImport = ts.isImportDeclaration(statement);
    const isReExport = ts.isExportDeclaration(statement) && statement.moduleSpecifier;
    if (!isImport && !isReExport) continue;
    const specifierNode = statement.moduleSpecifier;
    if (!ts.isStringLiteral(specifierNode)) continue;
    const target = resolveSpecifier(file, specifierNode.text);
    if (!target) continue;
    const entry = entryFor(file, target);
    if (!entry) continue;
    const wanted = [];
    let routable = true;
    if (isImport) {
      const clause = statement.importClause;
      if (!clause) {
        problems.push(`${file}: side-effect import of ${specifierNode.text}`);
        continue;
      }
      if (clause.name) routable = false;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) routable = false;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          wanted.push({
            name: (element.propertyName ?? element.name).text,
            type: clause.isTypeOnly || element.isTypeOnly,
          });
        }
      }
    } else {
      const clause = statement.exportClause;
      if (!clause || !ts.isNamedExports(clause)) routable = false;
      else {
        for (const element of clause.elements) {
          wanted.push({
            name: (element.propertyName ?? element.name).text,
            type: statement.isTypeOnly || element.isTypeOnly,
          });
        }
      }
    }
    if (!routable) {
      problems.push(
        `${file}: cannot route ${specifierNode.text} (default or namespace import); do it by hand`,
      );
      continue;
    }
    if (!wanted.every(({ name, type }) => ensureExport(entry, name, type, target))) continue;
    if (!edits.has(file)) edits.set(file, []);
    edits.get(file).push({
      start: specifierNode.getStart(source) + 1,
      end: specifierNode.getEnd() - 1,
      text: relativeSpecifier(file, entry),
    });
  }
}

for (const [index, names] of additions) {
  const byFile = new Map();
  for (const [name, { from, type }] of names) {
    const key = `${type ? 'type' : 'value'} ${from}`;
    if (!byFile.has(key)) byFile.set(key, []);
    byFile.get(key).push(name);
  }
  const lines = [...byFile].map(([key, list]) => {
    const [kind, from] = key.split(' ');
    const sorted = list.sort((a, b) => a.localeCompare(b));
    return `export ${kind === 'type' ? 'type ' : ''}{ ${sorted.join(', ')} } from '${relativeSpecifier(index, from)}';`;
  });
  const before = fs.existsSync(index) ? fs.readFileSync(index, 'utf8') : '';
  const separator = before === '' || before.endsWith('\n') ? '' : '\n';
  fs.writeFileSync(index, `${before}${separator}${lines.sort().join('\n')}\n`);
  console.log(`${index}: +${names.size} exports`);
}

for (const [file, list] of edits) {
  let text = fs.readFileSync(file, 'utf8');
  for (const { start, end, text: replacement } of list.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, start) + replacement + text.slice(end);
  }
  fs.writeFileSync(file, text);
}
console.log(`${edits.size} files rewritten`);
for (const problem of problems) console.log(`left alone: ${problem}`);
