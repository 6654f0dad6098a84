import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Document, isMap, isScalar, LineCounter } from 'yaml';
import type { z } from 'zod';
import { loadCatalog } from '../catalog/index.js';
import {
  type ErrorKinds,
  errorWithKinds,
  listPathsAtRevision,
  parseYamlDocument,
  readFileAtRevision,
  readInputFile,
  readRepositoryFile,
} from '../kernel/index.js';
import { defaultPolicy, Policy } from './schema.js';

export type PolicyErrorCode =
  /** An exception, attestation or applicability entry naming a control the catalog does not have. */
  | 'POLICY_UNKNOWN_CONTROL'
  /** An exception naming a fingerprint no shipguard finding could have. */
  | 'POLICY_UNKNOWN_FINGERPRINT'
  /** An exception whose owner is its approver, or whose expiry is further than its severity allows. */
  | 'POLICY_EXCEPTION_INVALID'
  | 'POLICY_UNREADABLE'
  | 'POLICY_INVALID_YAML'
  | 'POLICY_UNKNOWN_KEY'
  | 'POLICY_INVALID'
  | 'POLICY_TOO_LARGE';

/** The kind of each code, which decides the exit code. */
const policyErrorKinds: ErrorKinds<PolicyErrorCode> = {
  POLICY_UNREADABLE: 'config',
  POLICY_INVALID_YAML: 'config',
  POLICY_UNKNOWN_KEY: 'config',
  POLICY_INVALID: 'config',
  POLICY_TOO_LARGE: 'config',
  POLICY_UNKNOWN_CONTROL: 'config',
  POLICY_UNKNOWN_FINGERPRINT: 'config',
  POLICY_EXCEPTION_INVALID: 'config',
};

export class PolicyError extends errorWithKinds(policyErrorKinds) {}

/** File names looked for at the repository root, in this order. */
export const policyFileNames = ['shipguard.yaml', 'shipguard.yml', '.shipguard.yaml'] as const;

const maxPolicyBytes = 1024 * 1024;

export interface LoadedPolicy {
  policy: Policy;
  /** Repository-relative path of the file, when one was read. */
  path?: string;
  /** The 1-based line of a key path in the file (e.g. ['attestations', 0]), when known. */
  lineOf(keyPath: readonly (string | number)[]): number | undefined;
}

export function defaultLoadedPolicy(): LoadedPolicy {
  return { policy: defaultPolicy(), lineOf: () => undefined };
}

/** Parses shipguard.yaml text. Every error names the file, the line and the key. */
export function parsePolicy(text: string, path: string, options: { now?: Date } = {}): LoadedPolicy {
  if (Buffer.byteLength(text) > maxPolicyBytes) {
    throw new PolicyError('POLICY_TOO_LARGE', `${path} is larger than ${maxPolicyBytes} bytes`, {
      location: { path },
    });
  }
  const lineCounter = new LineCounter();
  const document = parseYamlDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: 'error',
  });
  const firstError = document.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new PolicyError('POLICY_INVALID_YAML', `invalid YAML: ${firstError.message.split('\n')[0]}`, {
      location: line === undefined ? { path } : { path, line },
    });
  }
  const lineOf = (keyPath: readonly (string | number)[]) => lineOfKey(document, lineCounter, keyPath);
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    // yaml refuses documents whose aliases would expand past the limit (a "billion laughs" file).
    throw new PolicyError('POLICY_INVALID_YAML', `invalid YAML: ${(error as Error).message}`, {
      cause: error,
      location: { path },
    });
  }
  const result = Policy.safeParse(raw);
  if (!result.success) throw toPolicyError(result.error, path, lineOf);
  checkRecords(result.data, path, lineOf, options.now ?? new Date());
  return { policy: result.data, path, lineOf };
}

/** Finding fingerprints shipguard makes: a hex digest, or gitleaks' `[commit:]path:rule:line`. */
const fingerprintPatterns = [
  /^[0-9a-f]{16,64}$/,
  /^([0-9a-f]{40,64}:)?[^\s:][^\s]*:[A-Za-z0-9_.-]+:\d{1,9}$/,
];

/**
 * What the schema cannot see: exceptions and attestations must name controls the catalog has and
 * fingerprints shipguard could have made; an exception is accepted by someone other than its
 * owner (names normalised, so a zero-width space makes no second person) and runs no longer than
 * its control's severity allows.
 */
function checkRecords(
  policy: Policy,
  path: string,
  lineOf: (keyPath: readonly (string | number)[]) => number | undefined,
  now: Date,
): void {
  const controls = new Map(loadCatalog().controls.map((control) => [control.id, control.severity]));
  const fail = (code: PolicyErrorCode, keyPath: (string | number)[], message: string): never => {
    const line = lineOf(keyPath) ?? lineOf(keyPath.slice(0, -1));
    throw new PolicyError(code, `"${formatKeyPath(keyPath)}": ${message}`, {
      location: line === undefined ? { path } : { path, line },
    });
  };
  for (const id of Object.keys(policy.controls)) {
    if (!controls.has(id))
      fail('POLICY_UNKNOWN_CONTROL', ['controls', id], `no control ${id} in the catalog`);
  }
  for (const [index, attestation] of policy.attestations.entries()) {
    if (!controls.has(attestation.control)) {
      fail(
        'POLICY_UNKNOWN_CONTROL',
        ['attestations', index, 'control'],
        `no control ${attestation.control} in the catalog`,
      );
    }
  }
  const today = Date.parse(now.toISOString().slice(0, 10));
  for (const [index, exception] of policy.exceptions.entries()) {
    const at = (key: string) => ['exceptions', index, key];
    let maxDays = policy.exceptionMaxDays.fingerprint;
    if (exception.control !== undefined) {
      const severity = controls.get(exception.control);
      if (severity === undefined) {
        fail('POLICY_UNKNOWN_CONTROL', at('control'), `no control ${exception.control} in the catalog`);
      } else maxDays = policy.exceptionMaxDays[severity];
    }
    if (
      exception.fingerprint !== undefined &&
      !fingerprintPatterns.some((pattern) => pattern.test(exception.fingerprint ?? ''))
    ) {
      fail(
        'POLICY_UNKNOWN_FINGERPRINT',
        at('fingerprint'),
        'not a fingerprint shipguard reports (a hex digest, or path:rule:line for secrets)',
      );
    }
    if (normalisedPerson(exception.owner) === normalisedPerson(exception.approver)) {
      fail('POLICY_EXCEPTION_INVALID', at('approver'), 'the approver must be someone other than the owner');
    }
    const days = (Date.parse(exception.expires) - today) / 86_400_000;
    if (!Number.isFinite(days)) fail('POLICY_EXCEPTION_INVALID', at('expires'), 'not a valid date');
    if (days > maxDays) {
      const what =
        exception.control === undefined
          ? 'a finding'
          : `${exception.control} (${controls.get(exception.control)})`;
      fail(
        'POLICY_EXCEPTION_INVALID',
        at('expires'),
        `an exception for ${what} may run at most ${maxDays} days from today (exceptionMaxDays)`,
      );
    }
  }
}

/** NFKC, format and control characters removed, white space folded, case folded. */
function normalisedPerson(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{Cc}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Reads the policy file at the repository root, or the defaults when there is none. The file is
 * repository content: read with the safe reader (a link out of the repository, a FIFO or a device
 * is refused, never followed or waited on). A path named on the command line is read bounded.
 */
export async function loadPolicy(root: string, explicitPath?: string): Promise<LoadedPolicy> {
  if (explicitPath) {
    const bytes = await readInputFile(explicitPath, 'policy', { maxBytes: maxPolicyBytes });
    return parsePolicy(bytes.toString('utf8'), explicitPath);
  }
  for (const name of policyFileNames) {
    // Only a name with nothing at all there is absent: a dangling link is not a missing policy.
    const present = await lstat(join(root, name)).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
    );
    if (!present) continue;
    const read = await readRepositoryFile(root, name, { maxBytes: maxPolicyBytes });
    if (!read.ok) {
      throw new PolicyError('POLICY_UNREADABLE', `cannot read ${name}: ${read.reason}`, {
        location: { path: name },
      });
    }
    if (read.truncated) {
      throw new PolicyError('POLICY_TOO_LARGE', `${name} is larger than ${maxPolicyBytes} bytes`, {
        location: { path: name },
      });
    }
    return parsePolicy(read.bytes.toString('utf8'), name);
  }
  return defaultLoadedPolicy();
}

/**
 * The policy a commit holds (its `shipguard.yaml`, read with git, never from the work tree), or
 * undefined when it holds none. The protected branch's policy, for what a branch may not decide
 * for itself (its exceptions).
 */
export async function readPolicyAtRevision(
  root: string,
  revision: string,
): Promise<LoadedPolicy | undefined> {
  const entries = await listPathsAtRevision(root, revision, policyFileNames);
  for (const name of policyFileNames) {
    const entry = entries.get(name);
    if (entry === undefined) continue;
    const text = await readFileAtRevision(root, revision, name, maxPolicyBytes, entry);
    if (text !== undefined) return parsePolicy(text.toString('utf8'), `${revision.slice(0, 12)}:${name}`);
  }
  return undefined;
}

function toPolicyError(
  error: z.ZodError,
  path: string,
  lineOf: (keyPath: readonly (string | number)[]) => number | undefined,
): PolicyError {
  const issue = error.issues[0];
  if (!issue)
    return new PolicyError('POLICY_INVALID', `${path} is not a valid policy`, { location: { path } });
  const keyPath = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const fullPath = [...keyPath, key];
    const line = lineOf(fullPath) ?? lineOf(keyPath);
    return new PolicyError('POLICY_UNKNOWN_KEY', `unknown key "${formatKeyPath(fullPath)}"`, {
      location: line === undefined ? { path } : { path, line },
    });
  }
  const line = lineOfNearest(keyPath, lineOf);
  const where = keyPath.length > 0 ? `"${formatKeyPath(keyPath)}": ` : '';
  return new PolicyError('POLICY_INVALID', `${where}${issue.message}`, {
    location: line === undefined ? { path } : { path, line },
  });
}

/** The line of the key, or of its nearest ancestor that exists (a missing key has no line). */
function lineOfNearest(
  keyPath: readonly (string | number)[],
  lineOf: (keyPath: readonly (string | number)[]) => number | undefined,
): number | undefined {
  for (let length = keyPath.length; length > 0; length -= 1) {
    const line = lineOf(keyPath.slice(0, length));
    if (line !== undefined) return line;
  }
  return undefined;
}

function formatKeyPath(keyPath: readonly (string | number)[]): string {
  return keyPath
    .map((part) => (typeof part === 'number' ? `[${part}]` : part))
    .join('.')
    .replaceAll('.[', '[');
}

/** Finds the line of a key (or of an item in a sequence) by walking the YAML document's nodes. */
function lineOfKey(
  document: Document,
  lineCounter: LineCounter,
  keyPath: readonly (string | number)[],
): number | undefined {
  if (keyPath.length === 0) return undefined;
  const parentPath = keyPath.slice(0, -1);
  const last = keyPath[keyPath.length - 1];
  const parent = parentPath.length === 0 ? document.contents : document.getIn(parentPath, true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
    const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  const node = document.getIn([...keyPath], true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
