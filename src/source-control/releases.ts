/**
 * Releases as source control sees them: which tags name releases, which branches hold release
 * lines, and whether what each release added to the default branch was reviewed.
 */
import type { ClassifiedChange, ReviewVerdict } from './classify.js';

/** `v1.2.3`, `1.2`, `v2.0.0-rc.1`, `release-1.4.0`: what release tags look like. */
export function isReleaseTag(name: string): boolean {
  return /^(v|release-|release\/)?\d{1,9}\.\d{1,9}(\.\d{1,9})?([-+][0-9A-Za-z.-]{1,100})?$/.test(name);
}

/** Branch names of maintained release lines: release/1.x, release-2.0, hotfix/…, 4.x, v5.x. */
export function isReleaseBranch(name: string): boolean {
  const short = name.replace(/^(refs\/heads\/|refs\/remotes\/[^/]+\/)/, '');
  return /^(release|releases|hotfix|maintenance)[-/][\w.-]{1,100}$|^v?\d{1,9}(\.\d{1,9})?\.x$/.test(short);
}

export interface TaggedCommit {
  name: string;
  commit: string;
}

export interface ReleaseTag extends TaggedCommit {
  /** When the tag was made (the tagger's date, or the commit's for a lightweight tag), seconds. */
  createdAt?: number;
  /** For a tag not on the default branch: the release branch that holds it. */
  releaseBranch?: string;
}

/**
 * The repository's release tags (`v1.2.3`, `release-1.4.0`, …) with their commit (peeled for an
 * annotated tag) and date, in one `git for-each-ref`; `options` narrow or sort the refs
 * (`--merged=<commit>`, `--no-merged=<commit>`, `--sort=-creatordate`).
 */
export async function listReleaseTags(
  gitText: (args: readonly string[]) => Promise<string>,
  options: readonly string[] = [],
): Promise<ReleaseTag[]> {
  const output = await gitText([
    'for-each-ref',
    ...options,
    '--format=%(refname:lstrip=2)%09%(*objectname)%09%(objectname)%09%(creatordate:unix)',
    'refs/tags',
  ]);
  const tags: ReleaseTag[] = [];
  for (const line of output.split('\n')) {
    const [name = '', peeled = '', object = '', created = ''] = line.split('\t');
    if (!isReleaseTag(name)) continue;
    const tag: ReleaseTag = { name, commit: peeled || object };
    const seconds = Number(created);
    if (created !== '' && Number.isSafeInteger(seconds)) tag.createdAt = seconds;
    tags.push(tag);
  }
  return tags;
}

/** One change a release brought to the default branch, with its review verdict. */
export interface ReleasedChange {
  commit: string;
  subject: string;
  verdict: ReviewVerdict;
  reason: string;
}

export interface ReleaseReview {
  /** The release's tag names (several tags may name one release). */
  tags: string[];
  /** The first-parent change that brought the tagged commit to the default branch. */
  change: string;
  /** What the release added since the previous release tag, newest first. */
  changes: ReleasedChange[];
  /**
   * True when no earlier release lies within the history read and that history does not start at
   * the repository's first commit: the release's range may begin before what was read.
   */
  openStart: boolean;
}

export interface ReleasesReview {
  releases: ReleaseReview[];
  /** Release tags on the default branch whose change lies outside the history read. */
  outside: number;
}

/**
 * Splits the first-parent history (newest first, as read) at each release: a release holds the
 * changes from its own change back to the previous release's (excluded). `changeOf` names the
 * first-parent change that brought a tagged commit to the branch (the commit itself when it is on
 * the first-parent line); a tag whose change was not read is counted as outside.
 */
export function reviewReleases(
  tags: readonly TaggedCommit[],
  changes: readonly ClassifiedChange[],
  changeOf: ReadonlyMap<string, string>,
): ReleasesReview {
  const position = new Map(changes.map((item, index) => [item.change.commit, index]));
  const byPosition = new Map<number, string[]>();
  let outside = 0;
  for (const tag of tags) {
    const at = position.get(changeOf.get(tag.commit) ?? tag.commit);
    if (at === undefined) {
      outside += 1;
      continue;
    }
    byPosition.set(at, [...(byPosition.get(at) ?? []), tag.name]);
  }
  const positions = [...byPosition.keys()].sort((a, b) => a - b);
  const oldest = changes.at(-1);
  const historyStartsAtRoot = oldest !== undefined && oldest.change.parents.length === 0;
  const releases = positions.map((at, index): ReleaseReview => {
    const previous = positions[index + 1];
    const range = changes.slice(at, previous ?? changes.length);
    return {
      tags: (byPosition.get(at) ?? []).sort(),
      change: changes[at]?.change.commit ?? '',
      changes: range.map((item) => ({
        commit: item.change.commit,
        subject: item.change.subject,
        verdict: item.verdict,
        reason: item.reason,
      })),
      openStart: previous === undefined && !historyStartsAtRoot,
    };
  });
  return { releases, outside };
}
