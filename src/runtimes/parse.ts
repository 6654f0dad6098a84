import { endOfLifeDataset, type ProductId, productOfImage } from '../end-of-life/index.js';
import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

/** A runtime version as a file declares it, before it is matched against the dataset. */
export interface Declaration {
  product: ProductId;
  /** The version as written: `^18`, `20-alpine`, `${NODE_VERSION}`. */
  declared: string;
  /** What declared it, e.g. `.nvmrc`, `package.json engines.node`, `Dockerfile FROM node:20`. */
  source: string;
  line: number;
  /** An image a service runs on (compose, Kubernetes, Terraform): supported or not, but not the project's own runtime. */
  service?: true;
  /**
   * Set up by a CI job (a test matrix): what the project is tested on, which for a library is
   * what it supports, not what anything runs on in production.
   */
  testedOnly?: true;
}

export type RuntimeParseErrorCode = 'RUNTIME_FILE_MALFORMED';

/** The kind of each code, which decides the exit code. */
const runtimeParseErrorKinds: ErrorKinds<RuntimeParseErrorCode> = {
  RUNTIME_FILE_MALFORMED: 'internal',
};

export class RuntimeParseError extends errorWithKinds(runtimeParseErrorKinds) {}

/** Lines longer than this are not declarations anyone writes; skipping them keeps regexes cheap. */
const maxLineLength = 2000;

function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * A file that holds just a version: `.nvmrc`, `.node-version`, `.python-version`, `.ruby-version`,
 * `runtime.txt`. Comments (`#`) and blank lines are skipped; `.python-version` may list several.
 */
export function parseVersionFile(
  text: string,
  product: ProductId,
  source: string,
  many = false,
): Declaration[] {
  const declarations: Declaration[] = [];
  for (const [index, raw] of linesOf(text).entries()) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#') || line.length > 100) continue;
    declarations.push({ product, declared: line.split(/\s/)[0] ?? line, source, line: index + 1 });
    if (!many || declarations.length >= 10) break;
  }
  return declarations;
}

/** The line of `"key":` at or after the line of `"parent":` (JSON.parse already proved both exist); 1 if not found. */
function jsonKeyLine(text: string, parent: string, key: string): number {
  const lines = linesOf(text);
  const parentPattern = new RegExp(`"${parent}"\\s*:`);
  const keyPattern = new RegExp(`"${key}"\\s*:`);
  const start = lines.findIndex((line) => line.length <= maxLineLength && parentPattern.test(line));
  if (start === -1) return 1;
  for (let index = start; index < lines.length; index += 1) {
    let line = lines[index] ?? '';
    if (line.length > maxLineLength) continue;
    // On the parent's own line, look only after the parent key.
    if (index === start) line = line.slice(line.search(parentPattern) + parent.length + 2);
    if (keyPattern.test(line)) return index + 1;
  }
  return start + 1;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RuntimeParseError('RUNTIME_FILE_MALFORMED', `${path} is not valid JSON`, {
      cause: error,
      location: { path },
    });
  }
}

/** A string at `object[parent][key]`, if it is one. */
function nestedString(value: unknown, parent: string, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as Record<string, unknown>)[parent];
  if (typeof inner !== 'object' || inner === null) return undefined;
  const found = (inner as Record<string, unknown>)[key];
  return typeof found === 'string' && found.length <= 200 ? found : undefined;
}

/** package.json `engines.node`. */
export function parsePackageJson(text: string, path: string): Declaration[] {
  const declared = nestedString(parseJson(text, path), 'engines', 'node');
  if (declared === undefined) return [];
  return [
    {
      product: 'nodejs',
      declared,
      source: 'package.json engines.node',
      line: jsonKeyLine(text, 'engines', 'node'),
    },
  ];
}

/** composer.json `require.php`. */
export function parseComposerJson(text: string, path: string): Declaration[] {
  const declared = nestedString(parseJson(text, path), 'require', 'php');
  if (declared === undefined) return [];
  return [
    {
      product: 'php',
      declared,
      source: 'composer.json require.php',
      line: jsonKeyLine(text, 'require', 'php'),
    },
  ];
}

/** global.json `sdk.version` (the .NET SDK). */
export function parseGlobalJson(text: string, path: string): Declaration[] {
  const declared = nestedString(parseJson(text, path), 'sdk', 'version');
  if (declared === undefined) return [];
  return [
    {
      product: 'dotnet',
      declared,
      source: 'global.json sdk.version',
      line: jsonKeyLine(text, 'sdk', 'version'),
    },
  ];
}

/** pyproject.toml `requires-python`, and Poetry's `python` dependency. */
export function parsePyproject(text: string): Declaration[] {
  const declarations: Declaration[] = [];
  let section = '';
  for (const [index, line] of linesOf(text).entries()) {
    if (line.length > maxLineLength) continue;
    const header = /^\s*\[([^\]]{1,100})\]/.exec(line);
    if (header?.[1]) {
      section = header[1].trim();
      continue;
    }
    const requires = /^\s*requires-python\s*=\s*["']([^"']{1,100})["']/.exec(line);
    if (requires?.[1] && section === 'project') {
      declarations.push({
        product: 'python',
        declared: requires[1],
        source: 'pyproject.toml requires-python',
        line: index + 1,
      });
    }
    const poetry = /^\s*python\s*=\s*["']([^"']{1,100})["']/.exec(line);
    if (poetry?.[1] && section === 'tool.poetry.dependencies') {
      declarations.push({
        product: 'python',
        declared: poetry[1],
        source: 'pyproject.toml tool.poetry.dependencies.python',
        line: index + 1,
      });
    }
  }
  return declarations;
}

const toolNames: Readonly<Record<string, ProductId>> = {
  nodejs: 'nodejs',
  node: 'nodejs',
  python: 'python',
  golang: 'go',
  go: 'go',
  java: 'java',
  ruby: 'ruby',
  php: 'php',
  dotnet: 'dotnet',
  'dotnet-core': 'dotnet',
};

/** asdf / mise `.tool-versions`: `nodejs 20.11.1`, several versions allowed, the first is the default. */
export function parseToolVersions(text: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const [index, line] of linesOf(text).entries()) {
    if (line.length > maxLineLength) continue;
    const [tool, version] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!tool || !version) continue;
    const product = toolNames[tool.toLowerCase()];
    if (product)
      declarations.push({ product, declared: version, source: `.tool-versions ${tool}`, line: index + 1 });
  }
  return declarations;
}

/** go.mod `go` directive (the language version) and `toolchain`. */
export function parseGoMod(text: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const [index, line] of linesOf(text).entries()) {
    if (line.length > maxLineLength) continue;
    const match = /^(go|toolchain)\s+(\S{1,40})\s*(?:\/\/.*)?$/.exec(line.trim());
    if (match?.[1] && match[2]) {
      declarations.push({ product: 'go', declared: match[2], source: `go.mod ${match[1]}`, line: index + 1 });
    }
  }
  return declarations;
}

/** MSBuild project files: `<TargetFramework>net8.0</TargetFramework>` or `<TargetFrameworks>` lists. */
export function parseProjectFile(text: string, fileName: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const [index, line] of linesOf(text).entries()) {
    if (line.length > maxLineLength) continue;
    const match = /<TargetFrameworks?>([^<]{1,200})<\/TargetFrameworks?>/i.exec(line);
    if (!match?.[1]) continue;
    for (const framework of match[1].split(';')) {
      const value = framework.trim();
      // .NET Framework (net48) and .NET Standard have no place in the .NET release cycles.
      if (/^(net\d+\.\d+|netcoreapp\d+\.\d+)/i.test(value)) {
        declarations.push({
          product: 'dotnet',
          declared: value,
          source: `${fileName} TargetFramework`,
          line: index + 1,
        });
      }
    }
  }
  return declarations;
}

/** Maven `pom.xml`: the compiler release or source level, or Spring Boot's `java.version`. */
export function parsePom(text: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const [index, line] of linesOf(text).entries()) {
    if (line.length > maxLineLength) continue;
    const match =
      /<(maven\.compiler\.release|maven\.compiler\.source|java\.version|release)>\s*([\d.]{1,10})\s*<\//.exec(
        line,
      );
    if (match?.[1] && match[2]) {
      declarations.push({
        product: 'java',
        declared: match[2],
        source: `pom.xml ${match[1]}`,
        line: index + 1,
      });
    }
  }
  return declarations;
}

/** Gradle build scripts: a toolchain `JavaLanguageVersion.of(17)` or `sourceCompatibility`. */
export function parseGradle(text: string, fileName: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const [index, line] of linesOf(text).entries()) {
    if (line.length > maxLineLength) continue;
    const toolchain = /JavaLanguageVersion\.of\(\s*(\d{1,2})\s*\)/.exec(line);
    const compatibility =
      /sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_(\d{1,2}(?:_\d{1,2})?)|['"]?(\d{1,2}(?:\.\d{1,2})?)['"]?)/.exec(
        line,
      );
    const declared = toolchain?.[1] ?? compatibility?.[1]?.replace('_', '.') ?? compatibility?.[2];
    if (declared) {
      const source = toolchain ? `${fileName} java toolchain` : `${fileName} sourceCompatibility`;
      declarations.push({ product: 'java', declared, source, line: index + 1 });
    }
  }
  return declarations;
}

/**
 * Which product an image name is, e.g. `docker.io/library/node` → nodejs, `postgres` →
 * postgresql; undefined for images the end-of-life dataset does not name (another namespace is
 * someone else's image).
 */
export function imageProduct(name: string): ProductId | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('mcr.microsoft.com/dotnet/')) return 'dotnet';
  return productOfImage(lower);
}

/** Operating systems are base images themselves; other images may name the one they are built on. */
function isOperatingSystem(product: ProductId): boolean {
  return endOfLifeDataset.products[product]?.category === 'os';
}

/** The base distribution an image tag names: `20-bookworm` → Debian bookworm, `3.12-alpine3.20` → Alpine 3.20. */
function baseDistribution(tag: string): { product: ProductId; declared: string } | undefined {
  const parts = tag.toLowerCase().split('-').slice(1);
  for (const part of parts) {
    const alpine = /^alpine(\d{1,2}\.\d{1,3})$/.exec(part);
    if (alpine?.[1]) return { product: 'alpine', declared: alpine[1] };
    for (const product of ['debian', 'ubuntu'] as const) {
      if (endOfLifeDataset.products[product]?.cycles.some((cycle) => cycle.codename === part)) {
        return { product, declared: part };
      }
    }
  }
  return undefined;
}

/**
 * Dockerfile `FROM` lines: `FROM --platform=$BUILDPLATFORM node:20-alpine AS build`. Stages that
 * name an earlier stage are skipped; a tag set through `ARG` cannot be read and is kept as declared.
 */
export function parseDockerfile(text: string, fileName: string): Declaration[] {
  const declarations: Declaration[] = [];
  const stages = new Set<string>();
  for (const [index, raw] of linesOf(text).entries()) {
    if (raw.length > maxLineLength) continue;
    const match = /^\s*FROM\s+(.+)$/i.exec(raw);
    if (!match?.[1]) continue;
    const words = match[1]
      .trim()
      .split(/\s+/)
      .filter((word) => !word.startsWith('--'));
    const reference = words[0];
    if (!reference) continue;
    const earlierStage = stages.has(reference.toLowerCase());
    if (words[1]?.toLowerCase() === 'as' && words[2]) stages.add(words[2].toLowerCase());
    if (earlierStage) continue;
    const { name, tag } = splitImageReference(reference);
    const product = imageProduct(name);
    if (!product) continue;
    const source = `${fileName} FROM ${name}`;
    declarations.push({ product, declared: tag, source, line: index + 1 });
    if (!isOperatingSystem(product)) {
      const base = baseDistribution(tag);
      if (base) declarations.push({ ...base, source: `${source} (base image)`, line: index + 1 });
    }
  }
  return declarations;
}

/** `name:tag` → name and tag (`latest` when none); the digest is dropped. */
function splitImageReference(reference: string): { name: string; tag: string } {
  const withoutDigest = reference.split('@')[0] ?? reference;
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : 'latest',
  };
}

/**
 * Images that services run on, in Compose files, Kubernetes manifests, GitLab CI and Terraform:
 * `image: postgres:13`, `- image: redis:6.2-alpine`, `image = "mysql:5.7"`. Each is a service
 * the project depends on (a database, a cache), not the runtime the project itself is built for.
 */
export function parseImageReferences(text: string, fileName: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const [index, line] of linesOf(text).entries()) {
    if (line.length > maxLineLength) continue;
    const match =
      /^\s*(?:-\s+)?image\s*:\s*["']?([^\s"'#]{1,300})["']?\s*(?:#.*)?$/.exec(line) ??
      /^\s*image\s*=\s*"([^\s"]{1,300})"\s*$/.exec(line);
    if (!match?.[1] || match[1].includes('${') || match[1].includes('{{')) continue;
    const { name, tag } = splitImageReference(match[1]);
    const product = imageProduct(name);
    if (!product) continue;
    declarations.push({
      product,
      declared: tag,
      source: `${fileName} image ${name}`,
      line: index + 1,
      service: true,
    });
  }
  return declarations;
}
