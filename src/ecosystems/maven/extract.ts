import { malformedLockfile } from '../errors.js';
import { checkLockfileSize, LineIndex } from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import type { ExtractResult, ExtractWarning, LockedPackage, LockfileInput, PackageScope } from '../types.js';

export function mavenPurl(group: string, artifact: string, version: string): string {
  return buildPurl('maven', group, artifact, version);
}

interface XmlElement {
  name: string;
  line: number;
  children: XmlElement[];
  text: string;
}

const maxDepth = 100;

/** A small XML reader for POMs: elements and text only (no attributes, entities beyond the five). */
export function parseXml(path: string, text: string): XmlElement {
  const lines = new LineIndex(text);
  const root: XmlElement = { name: '#document', line: 1, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('<', index);
    const current = stack[stack.length - 1] as XmlElement;
    if (open === -1) break;
    if (open > index) current.text += text.slice(index, open);
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      if (end === -1) throw malformedLockfile(path, 'unterminated comment', lines.lineOf(open));
      index = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open);
      if (end === -1) throw malformedLockfile(path, 'unterminated CDATA', lines.lineOf(open));
      current.text += text.slice(open + 9, end);
      index = end + 3;
      continue;
    }
    const close = text.indexOf('>', open);
    if (close === -1) throw malformedLockfile(path, 'unterminated tag', lines.lineOf(open));
    const tag = text.slice(open + 1, close);
    index = close + 1;
    if (tag.startsWith('?') || tag.startsWith('!')) continue;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (current.name !== name) {
        throw malformedLockfile(path, `</${name}> closes <${current.name}>`, lines.lineOf(open));
      }
      stack.pop();
      continue;
    }
    const name = /^[^\s/>]+/.exec(tag)?.[0] ?? '';
    const element: XmlElement = { name, line: lines.lineOf(open), children: [], text: '' };
    current.children.push(element);
    if (!tag.endsWith('/')) {
      if (stack.length > maxDepth) throw malformedLockfile(path, 'elements nested too deep', element.line);
      stack.push(element);
    }
  }
  if (stack.length > 1) {
    const unclosed = stack[stack.length - 1] as XmlElement;
    throw malformedLockfile(path, `<${unclosed.name}> is never closed`, unclosed.line);
  }
  return root;
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((item) => item.name === name);
}

function textOf(element: XmlElement | undefined): string | undefined {
  const value = element?.text
    .trim()
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
  return value === '' ? undefined : value;
}

/** No version, group or artifact id is longer; a property that expands past it is left unresolved. */
const maxInterpolatedLength = 1024;

/**
 * Expands `${property}` references, at most 5 levels deep and never past
 * `maxInterpolatedLength` (a self-referencing property such as `p = ${p}${p}…` would otherwise
 * grow exponentially): a value that would grow past it is returned as it was, unresolved.
 */
function interpolate(value: string, properties: ReadonlyMap<string, string>): string {
  let result = value;
  for (let round = 0; round < 5 && result.includes('${'); round++) {
    let grown = 0;
    const next = result.replace(/\$\{([^}]{1,200})\}/g, (whole, key: string) => {
      const replacement = grown > maxInterpolatedLength ? whole : (properties.get(key) ?? whole);
      grown += replacement.length;
      return replacement;
    });
    if (next.length > maxInterpolatedLength) return value;
    result = next;
  }
  return result;
}

const devScopes = new Set(['test']);

/**
 * pom.xml: the `<dependencies>` of the project (not `<dependencyManagement>` or plugins), with
 * `${property}` versions from `<properties>` and the project's own version. Dependencies whose
 * version is inherited (a parent or a BOM) cannot be resolved offline; they are reported.
 */
export function extractPom(input: LockfileInput): ExtractResult {
  checkLockfileSize(input.path, input.text);
  const document = parseXml(input.path, input.text);
  const project = child(document, 'project');
  if (!project) throw malformedLockfile(input.path, 'no <project> element', 1);
  const properties = new Map<string, string>();
  for (const property of child(project, 'properties')?.children ?? []) {
    const value = textOf(property);
    if (value !== undefined) properties.set(property.name, value);
  }
  const projectVersion =
    textOf(child(project, 'version')) ?? textOf(child(child(project, 'parent'), 'version'));
  if (projectVersion) {
    properties.set('project.version', projectVersion);
    properties.set('version', projectVersion);
  }
  const managed = new Map<string, string>();
  for (const dependency of child(child(project, 'dependencyManagement'), 'dependencies')?.children ?? []) {
    const group = textOf(child(dependency, 'groupId'));
    const artifact = textOf(child(dependency, 'artifactId'));
    const version = textOf(child(dependency, 'version'));
    if (group && artifact && version) managed.set(`${group}:${artifact}`, interpolate(version, properties));
  }
  const warnings: ExtractWarning[] = [];
  const packages: LockedPackage[] = [];
  // The parent POM (often a framework's, such as spring-boot-starter-parent) is a component too.
  const parent = child(project, 'parent');
  const parentGroup = textOf(child(parent, 'groupId'));
  const parentArtifact = textOf(child(parent, 'artifactId'));
  const parentVersion = textOf(child(parent, 'version'));
  if (parent && parentGroup && parentArtifact && parentVersion && !parentVersion.includes('${')) {
    packages.push({
      name: `${parentGroup}:${parentArtifact}`,
      version: parentVersion,
      purl: mavenPurl(parentGroup, parentArtifact, parentVersion),
      ecosystem: 'Maven',
      direct: true,
      scope: 'prod',
      location: { path: input.path, line: parent.line },
    });
  }
  for (const dependency of child(project, 'dependencies')?.children ?? []) {
    if (dependency.name !== 'dependency') continue;
    const group = textOf(child(dependency, 'groupId'));
    const artifact = textOf(child(dependency, 'artifactId'));
    if (!group || !artifact)
      throw malformedLockfile(input.path, 'a <dependency> lacks groupId or artifactId', dependency.line);
    const name = `${interpolate(group, properties)}:${interpolate(artifact, properties)}`;
    const declared = textOf(child(dependency, 'version'));
    const version = declared === undefined ? managed.get(name) : interpolate(declared, properties);
    if (version === undefined || version.includes('${') || /^[[(]/.test(version)) {
      warnings.push({
        code: 'LOCKFILE_ENTRY_SKIPPED',
        message: `${input.path}:${dependency.line}: ${name} has no version resolvable without its parent POM or BOM`,
        location: { path: input.path, line: dependency.line },
      });
      continue;
    }
    const scopeText = textOf(child(dependency, 'scope')) ?? 'compile';
    const scope: PackageScope = devScopes.has(scopeText)
      ? 'dev'
      : textOf(child(dependency, 'optional')) === 'true'
        ? 'optional'
        : 'prod';
    const [groupId, artifactId] = name.split(':') as [string, string];
    packages.push({
      name,
      version,
      purl: mavenPurl(groupId, artifactId, version),
      ecosystem: 'Maven',
      direct: true,
      scope,
      location: { path: input.path, line: dependency.line },
    });
  }
  return { packages, warnings };
}

/** gradle.lockfile: `group:artifact:version=configuration,…` per line. */
export function extractGradleLockfile(input: LockfileInput): ExtractResult {
  checkLockfileSize(input.path, input.text);
  const packages: LockedPackage[] = [];
  for (const [index, raw] of input.text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const match = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=(.*)$/.exec(line);
    if (!match)
      throw malformedLockfile(
        input.path,
        `expected group:artifact:version=configurations, found "${line.slice(0, 80)}"`,
        index + 1,
      );
    const [, group, artifact, version, configurations] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    const configurationList = configurations.split(',').filter(Boolean);
    const onlyTest = configurationList.length > 0 && configurationList.every((name) => /test/i.test(name));
    packages.push({
      name: `${group}:${artifact}`,
      version,
      purl: mavenPurl(group, artifact, version),
      ecosystem: 'Maven',
      direct: false,
      scope: onlyTest ? 'dev' : 'prod',
      location: { path: input.path, line: index + 1 },
    });
  }
  return { packages, warnings: [] };
}
