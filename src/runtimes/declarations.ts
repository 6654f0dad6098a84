import {
  endOfLifeDataset,
  findCycle,
  normalizeVersion,
  type ProductId,
  type ReleaseCycle,
} from '../end-of-life/index.js';
import { baseName, describeError, type RepositorySnapshot, ShipguardError } from '../kernel/index.js';
import { isWorkflowPath } from '../pipelines/index.js';
import {
  type Declaration,
  parseComposerJson,
  parseDockerfile,
  parseGlobalJson,
  parseGoMod,
  parseGradle,
  parseImageReferences,
  parsePackageJson,
  parsePom,
  parseProjectFile,
  parsePyproject,
  parseToolVersions,
  parseVersionFile,
} from './parse.js';
import { parseWorkflow } from './workflows.js';

export interface DeclaredRuntime extends Declaration {
  path: string;
  /** The release cycle the declaration reads as (`20`, `3.11`); absent when it cannot be read. */
  cycle?: string;
  /** The dataset's release cycle with its dates; absent when the dataset does not know it. */
  support?: ReleaseCycle;
}

export interface RuntimeVersionsFacts {
  runtimes: DeclaredRuntime[];
  /** Dependency manifests present: a project that has them runs on some runtime. */
  manifests: string[];
  dockerfiles: string[];
  /** The end-of-life dataset the cycles were looked up in. */
  dataset: { asOf: string; source: string };
}

/** Where declarations are looked for, as shown in evidence when none is found. */
export const declarationSources = [
  '.nvmrc',
  '.node-version',
  'package.json engines.node',
  '.python-version',
  'pyproject.toml requires-python',
  'runtime.txt',
  '.tool-versions',
  '.ruby-version',
  'go.mod go / toolchain',
  'global.json sdk.version',
  '*.csproj TargetFramework',
  'pom.xml / build.gradle Java level',
  'composer.json require.php',
  'Dockerfile FROM',
  'compose, Kubernetes, GitLab CI and Terraform images',
  'GitHub Actions setup-* versions',
] as const;

const manifestNames = new Set([
  'package.json',
  'pyproject.toml',
  'requirements.txt',
  'setup.py',
  'setup.cfg',
  'Pipfile',
  'go.mod',
  'Gemfile',
  'composer.json',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
]);
const projectFileExtensions = ['.csproj', '.fsproj', '.vbproj'];
const maxReadFiles = 2000;
const maxReadBytes = 1024 * 1024;

type Parser = (text: string, path: string) => Declaration[];

function versionFile(product: ProductId, many = false): Parser {
  return (text, path) => parseVersionFile(text, product, baseName(path), many);
}

/** The parser for a file, chosen by its name and place; undefined when it declares no runtime. */
export function parserFor(path: string): Parser | undefined {
  const name = baseName(path);
  if (isVendored(path)) return undefined;
  switch (name) {
    case '.nvmrc':
    case '.node-version':
      return versionFile('nodejs');
    case '.python-version':
      return versionFile('python', true);
    case 'runtime.txt':
      return versionFile('python');
    case '.ruby-version':
      return versionFile('ruby');
    case '.tool-versions':
      return (text) => parseToolVersions(text);
    case 'package.json':
      return parsePackageJson;
    case 'composer.json':
      return parseComposerJson;
    case 'global.json':
      return parseGlobalJson;
    case 'pyproject.toml':
      return (text) => parsePyproject(text);
    case 'go.mod':
      return (text) => parseGoMod(text);
    case 'pom.xml':
      return (text) => parsePom(text);
    case 'build.gradle':
    case 'build.gradle.kts':
      return (text) => parseGradle(text, name);
  }
  if (projectFileExtensions.some((extension) => name.endsWith(extension)))
    return (text) => parseProjectFile(text, name);
  if (isDockerfile(name)) return (text) => parseDockerfile(text, name);
  if (isWorkflowPath(path))
    return (text, file) => [...parseWorkflow(text, file), ...parseImageReferences(text, name)];
  if (isComposeFile(name) || name === '.gitlab-ci.yml' || name.endsWith('.tf'))
    return (text) => parseImageReferences(text, name);
  if (isKubernetesCandidate(path))
    return (text) => (isKubernetesManifest(text) ? parseImageReferences(text, name) : []);
  return undefined;
}

/** `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yml`. */
export function isComposeFile(name: string): boolean {
  return /^(docker-)?compose(\.[\w-]{1,40})?\.ya?ml$/i.test(name);
}

/**
 * YAML where deployment manifests live (`k8s/`, `deploy/`, `charts/`, `manifests/`, …, or a name
 * such as `deployment.yaml`): only these are read, so other YAML does not use up the read budget.
 */
function isKubernetesCandidate(path: string): boolean {
  if (!/\.ya?ml$/i.test(path)) return false;
  const lower = path.toLowerCase();
  return (
    /(^|\/)(k8s|kubernetes|kube|manifests?|deploy|deployments?|helm|charts?|kustomize|overlays|infra|ops)\//.test(
      lower,
    ) || /(^|\/)[^/]*(deployment|statefulset|daemonset|cronjob|pod|k8s)[^/]*\.ya?ml$/.test(lower)
  );
}

/** A Kubernetes manifest (or a Helm chart's rendered one) declares `apiVersion` and `kind` at its top level. */
function isKubernetesManifest(text: string): boolean {
  return /^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text);
}

function isVendored(path: string): boolean {
  return /(^|\/)(node_modules|vendor)\//.test(path);
}

/** A Dockerfile or Containerfile, by base name (`Dockerfile`, `Dockerfile.prod`, `api.dockerfile`). */
export function isDockerfile(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === 'dockerfile' ||
    lower.startsWith('dockerfile.') ||
    lower.endsWith('.dockerfile') ||
    lower === 'containerfile' ||
    lower.startsWith('containerfile.')
  );
}

/** Reads every runtime version the repository declares and looks each up in the end-of-life dataset. */
export async function readRuntimeDeclarations(repository: RepositorySnapshot): Promise<RuntimeVersionsFacts> {
  const runtimes: DeclaredRuntime[] = [];
  const manifests = repository.filter(
    (path) =>
      !isVendored(path) &&
      (manifestNames.has(baseName(path)) ||
        projectFileExtensions.some((extension) => path.endsWith(extension))),
  );
  const dockerfiles = repository.filter((path) => !isVendored(path) && isDockerfile(baseName(path)));
  let read = 0;
  for (const path of repository.files) {
    const parse = parserFor(path);
    if (!parse) continue;
    if (read >= maxReadFiles) {
      repository.problems.push({
        severity: 'warning',
        code: 'RUNTIME_FILES_LIMIT',
        message: `runtime versions were read from the first ${maxReadFiles} candidate files only`,
      });
      break;
    }
    read += 1;
    const file = await repository.readText(path, maxReadBytes);
    if (!file) continue;
    let declarations: Declaration[];
    try {
      declarations = parse(file.text, path);
    } catch (error) {
      // A malformed file is reported, not dropped silently, and does not stop the run.
      repository.problems.push({
        severity: 'warning',
        code: error instanceof ShipguardError ? error.code : 'RUNTIME_FILE_MALFORMED',
        message: error instanceof ShipguardError ? describeError(error) : `${path}: ${describeError(error)}`,
        location: (error instanceof ShipguardError ? error.location : undefined) ?? { path },
      });
      continue;
    }
    for (const declaration of declarations) runtimes.push(resolve(declaration, path));
  }
  return {
    runtimes,
    manifests,
    dockerfiles,
    dataset: { asOf: endOfLifeDataset.asOf, source: endOfLifeDataset.source },
  };
}

function resolve(declaration: Declaration, path: string): DeclaredRuntime {
  const runtime: DeclaredRuntime = { ...declaration, path };
  const known = findCycle(declaration.product, declaration.declared);
  const cycle = known?.cycle ?? normalizeVersion(declaration.product, declaration.declared);
  if (cycle === undefined) return runtime;
  runtime.cycle = cycle;
  if (known) runtime.support = known;
  return runtime;
}
