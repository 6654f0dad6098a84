import { baseName, type RepositorySnapshot } from '../../kernel/index.js';
import { isDockerfile } from '../../runtimes/index.js';

export type InfrastructureKind =
  | 'terraform'
  | 'opentofu'
  | 'pulumi'
  | 'cloudformation'
  | 'kubernetes'
  | 'kustomize'
  | 'helm'
  | 'dockerfile'
  | 'compose'
  | 'ansible'
  | 'bicep'
  | 'nomad';

export interface InfrastructureFile {
  kind: InfrastructureKind;
  path: string;
  /** Known by name, but blank or only comments: a name is not infrastructure. */
  empty?: true;
  /** Known by name and left unread because the cap was reached. */
  unread?: true;
}

export interface IacFacts {
  files: InfrastructureFile[];
  /**
   * Files read: YAML, JSON and templates to tell CloudFormation, Kubernetes and Ansible apart, and
   * files known by name to see that they hold something.
   */
  inspectedFiles: number;
  /** Candidate files left unread because the cap was reached; 0 when all were read. */
  uninspectedFiles: number;
}

/** What `iac/present` looked for, as shown in evidence when nothing is found. */
export const infrastructurePatterns = [
  '*.tf, *.tf.json (Terraform)',
  '*.tofu, *.tofu.json (OpenTofu)',
  'Pulumi.yaml',
  'CloudFormation or SAM templates (AWSTemplateFormatVersion, Transform: AWS::Serverless)',
  'Kubernetes manifests (top-level apiVersion and kind)',
  'kustomization.yaml',
  'Chart.yaml (Helm)',
  'Dockerfile, *.Dockerfile, Containerfile',
  'docker-compose.yml, compose.yaml',
  'Ansible playbooks (hosts with tasks or roles), roles/*/tasks/main.yml',
  '*.bicep',
  '*.nomad, *.nomad.hcl',
] as const;

/** Bounds on reading: enough for real repositories, safe against a folder of generated YAML. */
export const maxInspectedFiles = 2000;
const maxInspectedBytes = 64 * 1024;

/** The kind a file is by its name alone, or `inspect` when only its content can tell. */
export function classifyByName(path: string): InfrastructureKind | 'inspect' | undefined {
  const name = baseName(path);
  const lower = name.toLowerCase();
  if (lower.endsWith('.tf') || lower.endsWith('.tf.json')) return 'terraform';
  if (lower.endsWith('.tofu') || lower.endsWith('.tofu.json')) return 'opentofu';
  if (lower === 'pulumi.yaml' || lower === 'pulumi.yml') return 'pulumi';
  if (lower === 'kustomization.yaml' || lower === 'kustomization.yml' || name === 'Kustomization') {
    return 'kustomize';
  }
  if (name === 'Chart.yaml') return 'helm';
  if (isDockerfile(name)) return 'dockerfile';
  if (/^(docker-)?compose(\.[\w-]{1,40})?\.ya?ml$/.test(lower)) return 'compose';
  if (lower.endsWith('.bicep')) return 'bicep';
  if (lower.endsWith('.nomad') || lower.endsWith('.nomad.hcl')) return 'nomad';
  if (/(^|\/)roles\/[^/]+\/tasks\/main\.ya?ml$/.test(path)) return 'ansible';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    // Workflow files and Helm templates are never what the content test looks for.
    if (path.startsWith('.github/') || /(^|\/)templates\/[^/]+$/.test(path)) return undefined;
    return 'inspect';
  }
  // CloudFormation in JSON: only files named like templates, not every package.json.
  if (
    lower.endsWith('.template') ||
    (lower.endsWith('.json') && /template|cloudformation|cfn|stack|sam/.test(lower))
  ) {
    return 'inspect';
  }
  return undefined;
}

/** The kind a YAML or JSON file is by its content, if any. Reads line by line, no YAML parser. */
export function classifyByContent(text: string): InfrastructureKind | undefined {
  if (/^[ \t]*["']?AWSTemplateFormatVersion["']?[ \t]*:/m.test(text)) return 'cloudformation';
  if (/^[ \t]*["']?Transform["']?[ \t]*:[ \t]*\[?[ \t]*["']?AWS::Serverless/m.test(text))
    return 'cloudformation';
  let apiVersion = false;
  let kind = false;
  let hosts = false;
  let tasksOrRoles = false;
  for (const line of text.split('\n')) {
    if (line.length > 1000) continue;
    if (line.startsWith('apiVersion:')) apiVersion = true;
    else if (line.startsWith('kind:')) kind = true;
    else if (/^-?\s{0,8}hosts:\s*\S/.test(line)) hosts = true;
    else if (/^\s{1,8}(tasks|roles):/.test(line)) tasksOrRoles = true;
  }
  if (apiVersion && kind) return 'kubernetes';
  if (hosts && tasksOrRoles) return 'ansible';
  return undefined;
}

/** A file known by its name, marked empty when it holds nothing but blank lines and comments. */
function withContent(kind: InfrastructureKind, path: string, text: string): InfrastructureFile {
  const content = text.split('\n').some((line) => {
    const trimmed = line.trim();
    return trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith('//');
  });
  return content ? { kind, path } : { kind, path, empty: true };
}

export async function collectIac(repository: RepositorySnapshot): Promise<IacFacts> {
  const files: InfrastructureFile[] = [];
  let inspectedFiles = 0;
  let uninspectedFiles = 0;
  for (const path of repository.files) {
    const byName = classifyByName(path);
    if (byName === undefined) continue;
    if (inspectedFiles >= maxInspectedFiles) {
      if (byName !== 'inspect') files.push({ kind: byName, path, unread: true });
      uninspectedFiles += 1;
      continue;
    }
    inspectedFiles += 1;
    // The kind shows in the first lines (apiVersion/kind, AWSTemplateFormatVersion, hosts/tasks).
    const file = await repository.readHead(path, maxInspectedBytes);
    if (byName !== 'inspect') {
      files.push(
        file === undefined ? { kind: byName, path, unread: true } : withContent(byName, path, file.text),
      );
      continue;
    }
    const byContent = file ? classifyByContent(file.text) : undefined;
    if (byContent) files.push({ kind: byContent, path });
  }
  return { files, inspectedFiles, uninspectedFiles };
}
