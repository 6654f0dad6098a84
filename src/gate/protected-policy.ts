/**
 * The policy a real gate decision applies: `shipguard.yaml` as the protected default branch holds
 * it, read with git from that branch's ref, never from the deployed commit's working tree nor from
 * a file the caller names. Files the policy names (trusted keys, calendars) come from the same
 * commit, so a branch being judged cannot bring its own rules, keys or templates.
 */
import { openRevisionFiles, type RevisionFiles, runGitText } from '../kernel/index.js';
import { defaultPolicy, type LoadedPolicy, parsePolicy, policyFileNames } from '../policy/index.js';
import { GateError } from './errors.js';

export interface PolicySource {
  loaded: LoadedPolicy;
  /** Where the policy came from, as ledgered: a protected ref and its commit, or a what-if file. */
  origin: { kind: 'protected-ref'; ref: string; commit: string } | { kind: 'what-if-file'; path: string };
  /** Reads a file the policy names, from the same place as the policy. */
  readFile(path: string, maxBytes: number): Promise<Buffer>;
  /** The protected commit's files, read in batches (absent for a what-if policy file). */
  revisionFiles?: RevisionFiles;
}

const refPattern = /^refs\/(heads|remotes)\/(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,240}$/;
const commitPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

const howToProvide =
  'fetch the default branch so refs/remotes/origin/HEAD exists (`git fetch origin` then `git remote set-head origin --auto`), or name the protected branch with --protected-ref refs/remotes/origin/<branch>';

/** The protected ref: `--protected-ref` when given, else the target of `refs/remotes/origin/HEAD`. */
export async function resolveProtectedRef(root: string, configured?: string): Promise<string> {
  if (configured !== undefined) {
    if (!refPattern.test(configured)) {
      throw new GateError(
        'GATE_NO_PROTECTED_POLICY',
        `--protected-ref must be a full branch ref such as refs/remotes/origin/main (got "${configured.slice(0, 80)}")`,
      );
    }
    return configured;
  }
  const target = await runGitText(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], {
    successExitCodes: [0, 1],
  }).catch(() => '');
  if (!refPattern.test(target)) {
    throw new GateError(
      'GATE_NO_PROTECTED_POLICY',
      `no protected default branch to read the policy from (no refs/remotes/origin/HEAD): ${howToProvide}`,
    );
  }
  return target;
}

const maxPolicyBytes = 1024 * 1024;

/** Reads the policy at the protected ref; a branch with no policy file gets the secure defaults. */
export async function readProtectedPolicy(root: string, configuredRef?: string): Promise<PolicySource> {
  const ref = await resolveProtectedRef(root, configuredRef);
  const commit = await runGitText(
    root,
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
    {
      successExitCodes: [0, 1],
    },
  ).catch(() => '');
  if (!commitPattern.test(commit)) {
    throw new GateError(
      'GATE_NO_PROTECTED_POLICY',
      `the protected ref ${ref} names no commit: ${howToProvide}`,
    );
  }
  // Reads asked for together are answered together (one ls-tree, one cat-file --batch).
  const files = openRevisionFiles(root, commit);
  const readFile = (path: string, maxBytes: number) => readNamedFile(files, ref, path, maxBytes);
  const candidates = await Promise.all(
    policyFileNames.map((name) => files.read(name, maxPolicyBytes).then((text) => ({ name, text }))),
  );
  for (const { name, text } of candidates) {
    if (text !== undefined) {
      return {
        loaded: parsePolicy(text.toString('utf8'), `${ref}:${name}`),
        origin: { kind: 'protected-ref', ref, commit },
        readFile,
        revisionFiles: files,
      };
    }
  }
  return {
    loaded: { policy: defaultPolicy(), lineOf: () => undefined },
    origin: { kind: 'protected-ref', ref, commit },
    readFile,
    revisionFiles: files,
  };
}

/** A what-if policy (`--dry-run --policy FILE`): its named files are read next to the repository. */
export function whatIfPolicy(
  loaded: LoadedPolicy,
  path: string,
  readFile: PolicySource['readFile'],
): PolicySource {
  return { loaded, origin: { kind: 'what-if-file', path }, readFile };
}

async function readNamedFile(
  files: RevisionFiles,
  ref: string,
  path: string,
  maxBytes: number,
): Promise<Buffer> {
  const relative = path.replace(/^\.\//, '');
  if (relative.startsWith('/') || relative.split('/').includes('..') || relative === '') {
    throw new GateError(
      'GATE_POLICY_FILE_INVALID',
      `the policy names ${path.slice(0, 200)}: give a path inside the repository`,
    );
  }
  let content: Buffer | undefined;
  try {
    content = await files.read(relative, maxBytes);
  } catch (error) {
    throw new GateError('GATE_POLICY_FILE_INVALID', `${ref}:${relative} cannot be read`, {
      cause: error,
      location: { path: relative },
    });
  }
  if (content === undefined) {
    throw new GateError(
      'GATE_POLICY_FILE_INVALID',
      `the policy names ${relative}, which the protected branch ${ref} does not hold`,
      { location: { path: relative } },
    );
  }
  return content;
}

/** The policy's origin as said in the decision and the ledger. */
export function describePolicyOrigin(source: PolicySource): string {
  return source.origin.kind === 'protected-ref'
    ? `${source.loaded.path?.slice(source.origin.ref.length + 1) ?? 'default policy (no shipguard.yaml)'} at ${source.origin.ref} (${source.origin.commit})`
    : `what-if policy file ${source.origin.path}`;
}
