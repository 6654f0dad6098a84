import type { ClassifiedChange } from './classify.js';
import { parseCodeowners } from './codeowners/parse.js';
import { compilePattern } from './codeowners/pattern.js';
import { codeownersLocations } from './codeowners/read.js';
import type { SensitivePath } from './history.js';
import { type Person, samePerson } from './identity.js';
import type { ObjectReader } from './object-reader.js';

interface CompiledOwners {
  path: string;
  rules: { matches(path: string): boolean; owners: string[] }[];
}

/** CODEOWNERS as it stood at a commit, read from the object store (not the working tree). */
export class OwnersAtCommit {
  private readonly byBlob = new Map<string, CompiledOwners>();

  private readonly reader: ObjectReader;

  constructor(reader: ObjectReader) {
    this.reader = reader;
  }

  /** The rules in force at `commit`, or undefined when it had no CODEOWNERS file. */
  async rulesAt(commit: string): Promise<CompiledOwners | undefined> {
    for (const location of codeownersLocations) {
      const blob = await this.reader.read(`${commit}:${location}`);
      if (blob?.type !== 'blob') continue;
      let compiled = this.byBlob.get(blob.oid);
      if (!compiled) {
        const parsed = parseCodeowners(blob.content.subarray(0, 3 * 1024 * 1024).toString('utf8'));
        compiled = {
          path: location,
          rules: parsed.rules.map((rule) => ({
            matches: compilePattern(rule.pattern).matches,
            owners: rule.owners,
          })),
        };
        this.byBlob.set(blob.oid, compiled);
      }
      return compiled;
    }
    return undefined;
  }
}

/** The owners of `path`: the last matching rule wins (GitHub); undefined when no rule matches. */
export function ownersOf(rules: CompiledOwners | undefined, path: string): string[] | undefined {
  if (!rules) return undefined;
  for (let index = rules.rules.length - 1; index >= 0; index--) {
    const rule = rules.rules[index];
    if (rule?.matches(path)) return rule.owners.length > 0 ? rule.owners : undefined;
  }
  return undefined;
}

export type OwnerReviewVerdict = 'owner-reviewed' | 'no-owner-review' | 'no-owner' | 'unknown';

export interface SensitiveChange {
  commit: string;
  subject: string;
  paths: (SensitivePath & { owners?: string[] })[];
  codeownersFile?: string;
  verdict: OwnerReviewVerdict;
  reason: string;
}

/** True when `owner` (`@login`, `@org/team`, an e-mail) names `person`; undefined for a team. */
function ownerIs(owner: string, person: Person): boolean | undefined {
  if (owner.startsWith('@')) {
    if (owner.includes('/') || owner.startsWith('@@')) return undefined;
    return samePerson({ name: '', email: '', login: owner.slice(1) }, person);
  }
  return samePerson({ name: '', email: owner }, person);
}

/** Judges a sensitive change: did someone who owns each sensitive path approve it? Pure. */
export function judgeOwnerReview(
  classified: ClassifiedChange,
  rules: CompiledOwners | undefined,
): SensitiveChange | undefined {
  const sensitive = classified.change.sensitivePaths ?? [];
  if (sensitive.length === 0) return undefined;
  const paths: SensitiveChange['paths'] = sensitive.map((entry) => {
    const owners = ownersOf(rules, entry.path);
    return owners ? { ...entry, owners } : { ...entry };
  });
  const result: SensitiveChange = {
    commit: classified.change.commit,
    subject: classified.change.subject,
    paths,
    verdict: 'owner-reviewed',
    reason: '',
  };
  if (rules) result.codeownersFile = rules.path;
  const unowned = paths.filter((entry) => !entry.owners);
  if (unowned.length > 0) {
    result.verdict = 'no-owner';
    result.reason = `no code owner for ${unowned.map((entry) => entry.path).join(', ')}`;
    return result;
  }
  if (classified.verdict === 'unverified') {
    result.verdict = 'unknown';
    result.reason = 'the reviewers are not known offline';
    return result;
  }
  if (classified.approvers.length === 0) {
    result.verdict = 'no-owner-review';
    result.reason = 'nobody other than the author approved it';
    return result;
  }
  let undecided = false;
  for (const entry of paths) {
    const answers = (entry.owners ?? []).flatMap((owner) =>
      classified.approvers.map((person) => ownerIs(owner, person)),
    );
    if (answers.includes(true)) continue;
    if (answers.includes(undefined) || (entry.owners ?? []).some((owner) => owner.includes('/'))) {
      undecided = true;
      continue;
    }
    result.verdict = 'no-owner-review';
    result.reason = `no owner of ${entry.path} (${(entry.owners ?? []).join(' ')}) approved it`;
    return result;
  }
  if (undecided) {
    result.verdict = 'unknown';
    result.reason = 'owned by a team whose members cannot be resolved offline';
    return result;
  }
  result.reason = 'approved by a code owner of every sensitive path';
  return result;
}
