import { baseName, type RepositorySnapshot, runGit } from '../../kernel/index.js';

/** Names that must be ignored by git; each stands for a family of files that hold credentials. */
export const ignoreProbes = [
  '.env',
  '.env.production',
  'config/server.pem',
  'id_rsa',
  'id_ed25519',
  'secrets.p12',
  'cert.pfx',
  'private.key',
] as const;

/** The name patterns `sensitive-files/not-committed` looks for, as shown in evidence. */
export const sensitiveNamePatterns = [
  '.env',
  '.env.* (not .example, .sample, .template, .dist)',
  '*.pem and *.key holding a private key',
  'id_rsa, id_dsa, id_ecdsa, id_ed25519',
  '*.p12, *.pfx, *.jks, *.keystore',
  '.npmrc or .pypirc with a token or password',
  'credentials.json',
  '.htpasswd',
  '*.tfstate, *.tfstate.backup',
  'terraform.tfvars or *.auto.tfvars with a secret, password or token',
  'kubeconfig, .kube/config',
] as const;

/** How git answered for one probe: the ignore rule that matched it, if any. */
export interface ProbeResult {
  probe: string;
  /** The last matching rule; a pattern starting with `!` re-includes the file. */
  match?: { source: string; line: number; pattern: string };
}

export type SensitiveKind =
  | 'environment file'
  | 'private key'
  | 'SSH private key'
  | 'key store'
  | 'registry credentials'
  | 'credentials file'
  | 'password file'
  | 'Terraform state'
  | 'Terraform variables with secrets'
  | 'Kubernetes credentials';

export interface CommittedSensitiveFile {
  path: string;
  kind: SensitiveKind;
  /** The line that holds the credential, when the content was inspected. */
  line?: number;
  /** Why it counts, when not by name alone. */
  reason?: string;
}

export interface SensitiveFilesFacts {
  isGitRepository: boolean;
  head?: string;
  /** Present in a git repository: the answer for every probe, in probe order. */
  probes?: ProbeResult[];
  /** Present in a git repository: tracked files whose names usually hold credentials. */
  tracked?: {
    count: number;
    hits: CommittedSensitiveFile[];
    /** Files matched by name but cleared by their content (certificates, public keys, variable references). */
    cleared: string[];
  };
}

type ContentRule = 'pem' | 'npmrc' | 'pypirc' | 'tfvars';

interface NameMatch {
  kind: SensitiveKind;
  /** The content decides: a certificate is not a credential, `${NPM_TOKEN}` is not a token. */
  inspect?: ContentRule;
}

const exampleSuffixes = new Set(['example', 'sample', 'template', 'dist']);
const sshKeyNames = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519']);
const keyStoreExtensions = ['.p12', '.pfx', '.jks', '.keystore'];
/** PEM block labels that carry no secret. */
const publicPemLabels = new Set([
  'CERTIFICATE',
  'TRUSTED CERTIFICATE',
  'X509 CRL',
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'CERTIFICATE REQUEST',
  'NEW CERTIFICATE REQUEST',
  'PKCS7',
  'DH PARAMETERS',
  'EC PARAMETERS',
]);
const maxInspectedFiles = 1000;
const maxInspectedBytes = 1024 * 1024;
const maxLineLength = 4000;

/** Whether a path's name usually holds credentials, and whether its content must be read to tell. */
export function matchSensitiveName(path: string): NameMatch | undefined {
  const name = baseName(path).toLowerCase();
  if (name === '.env') return { kind: 'environment file' };
  if (name.startsWith('.env.')) {
    const last = name.slice(name.lastIndexOf('.') + 1);
    return exampleSuffixes.has(last) ? undefined : { kind: 'environment file' };
  }
  if (name.endsWith('.pem') || name.endsWith('.key')) return { kind: 'private key', inspect: 'pem' };
  if (sshKeyNames.has(name)) return { kind: 'SSH private key' };
  if (keyStoreExtensions.some((extension) => name.endsWith(extension))) return { kind: 'key store' };
  if (name === '.npmrc') return { kind: 'registry credentials', inspect: 'npmrc' };
  if (name === '.pypirc') return { kind: 'registry credentials', inspect: 'pypirc' };
  if (name === 'credentials.json') return { kind: 'credentials file' };
  if (name === '.htpasswd') return { kind: 'password file' };
  if (name.endsWith('.tfstate') || name.endsWith('.tfstate.backup')) return { kind: 'Terraform state' };
  if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) {
    return { kind: 'Terraform variables with secrets', inspect: 'tfvars' };
  }
  if (
    name === 'kubeconfig' ||
    name.startsWith('kubeconfig.') ||
    path.toLowerCase().endsWith('.kube/config')
  ) {
    return { kind: 'Kubernetes credentials' };
  }
  return undefined;
}

/** Where in a file's text the credential is; undefined when the content shows there is none. */
export function findCredentialInText(
  rule: ContentRule,
  text: string,
): { line: number; reason: string } | undefined {
  const lines = text.split('\n');
  if (rule === 'pem') {
    let sawBlock = false;
    for (const [index, line] of lines.entries()) {
      if (line.length > maxLineLength) continue;
      const label = /^-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(line.trim())?.[1];
      if (label === undefined) continue;
      sawBlock = true;
      if (!publicPemLabels.has(label)) return { line: index + 1, reason: `holds a ${label} block` };
    }
    // A file named like a key that holds no PEM block at all (DER, or another format) still counts.
    return sawBlock ? undefined : { line: 1, reason: 'holds no certificate or public key block' };
  }
  const pattern =
    rule === 'npmrc'
      ? /(?:^|[:\s])(_authtoken|_auth|_password|password)\s*=\s*(.*)$/i
      : rule === 'pypirc'
        ? /^\s*(password)\s*[:=]\s*(.*)$/i
        : /^\s*"?([a-z0-9_-]{0,60}(?:secret|password|token)[a-z0-9_-]{0,60})"?\s*=\s*(.*)$/i;
  for (const [index, line] of lines.entries()) {
    if (line.length > maxLineLength || line.trimStart().startsWith('#')) continue;
    const match = pattern.exec(line);
    if (!match) continue;
    if (isLiteralValue(match[2] ?? '')) return { line: index + 1, reason: `sets ${match[1] ?? 'a secret'}` };
  }
  return undefined;
}

/** A value written out, as opposed to empty, null or a reference to an environment variable. */
function isLiteralValue(raw: string): boolean {
  const value = raw.trim().replace(/^["']|["']$/g, '');
  if (value.length === 0 || value === 'null') return false;
  return !(value.startsWith('$') || value.startsWith('%(') || value.startsWith('var.'));
}

export async function collectSensitiveFiles(repository: RepositorySnapshot): Promise<SensitiveFilesFacts> {
  if (!repository.git) return { isGitRepository: false };
  const facts: SensitiveFilesFacts = { isGitRepository: true };
  if (repository.git.head) facts.head = repository.git.head;
  const [probes, tracked] = await Promise.all([
    probeIgnoreRules(repository),
    findTrackedSensitiveFiles(repository),
  ]);
  facts.probes = probes;
  facts.tracked = tracked;
  return facts;
}

/** One `git check-ignore` call for every probe, reading which rule decided each one. */
async function probeIgnoreRules(repository: RepositorySnapshot): Promise<ProbeResult[]> {
  // check-ignore exits 1 when no probe is ignored; that is an answer, not a failure.
  const buffer = await runGit(repository.root, ['check-ignore', '--no-index', '--stdin', '-z', '-v', '-n'], {
    input: `${ignoreProbes.join('\0')}\0`,
    successExitCodes: [0, 1],
  });
  const output = buffer.toString('utf8');
  const fields = output.split('\0');
  const matches = new Map<string, ProbeResult['match']>();
  for (let index = 0; index + 3 < fields.length; index += 4) {
    const [source = '', line = '', pattern = '', probe = ''] = fields.slice(index, index + 4);
    if (source !== '') matches.set(probe, { source, line: Number(line), pattern });
  }
  return ignoreProbes.map((probe) => {
    const match = matches.get(probe);
    return match ? { probe, match } : { probe };
  });
}

async function findTrackedSensitiveFiles(
  repository: RepositorySnapshot,
): Promise<NonNullable<SensitiveFilesFacts['tracked']>> {
  // Only tracked files are committed; the snapshot's list also holds untracked ones.
  const output = await runGit(repository.root, ['ls-files', '-z']);
  const tracked = [...new Set(output.toString('utf8').split('\0'))].filter((path) => path.length > 0);
  const hits: CommittedSensitiveFile[] = [];
  const cleared: string[] = [];
  let inspected = 0;
  for (const path of tracked) {
    const match = matchSensitiveName(path);
    if (!match) continue;
    if (!match.inspect) {
      hits.push({ path, kind: match.kind });
      continue;
    }
    inspected += 1;
    if (inspected > maxInspectedFiles) {
      hits.push({
        path,
        kind: match.kind,
        reason: `not inspected: more than ${maxInspectedFiles} candidates`,
      });
      continue;
    }
    const file = await repository.readText(path, maxInspectedBytes);
    if (!file) {
      // Binary or unreadable (the snapshot records which): a key in DER form still counts.
      if (match.inspect === 'pem') hits.push({ path, kind: match.kind, reason: 'not readable as text' });
      continue;
    }
    const found = findCredentialInText(match.inspect, file.text);
    if (found) hits.push({ path, kind: match.kind, line: found.line, reason: found.reason });
    else if (file.truncated) hits.push({ path, kind: match.kind, reason: 'too large to read whole' });
    else cleared.push(path);
  }
  return { count: tracked.length, hits, cleared };
}
