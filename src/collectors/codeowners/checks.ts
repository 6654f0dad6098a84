import type { Evidence, Finding } from '../../kernel/index.js';
import {
  type CodeownersFacts,
  type CodeownersFile,
  codeownersLocations,
  rootFolder,
} from '../../source-control/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';

const absenceEvidence: Evidence = {
  kind: 'absence',
  lookedFor: [...codeownersLocations],
  in: 'working tree',
};
/** Owner names that stand for nobody: template values and accounts that exist to own nothing. */
const placeholderOwner =
  /^@(nobody|noone|no-one|ghost|user|username|owner|owners|someone|todo|tbd|changeme|example|me|your[-_]?(name|user|username|org|team)|org\/team|organi[sz]ation\/team|my[-_]?org\/[a-z-]+|your[-_]?org\/[a-z-]+)$/i;

/** Why an owner stands for nobody, or undefined. Offline, only names can be judged, not accounts. */
export function placeholderOwnerReason(owner: string): string | undefined {
  if (placeholderOwner.test(owner)) return `${owner} is a placeholder, not a person or team`;
  const domain = owner.includes('@') && !owner.startsWith('@') ? (owner.split('@')[1] ?? '') : '';
  if (/(^|\.)(example|invalid|localhost|test)$|(^|\.)example\.[a-z]{2,24}$/i.test(domain)) {
    return `${owner} is on a domain reserved for examples`;
  }
  return undefined;
}

const unreadableHelp = (path: string) =>
  `${path} could not be read as text; make it a readable UTF-8 file (see the problems list) and run again.`;

export const codeownersPresent: Check<CodeownersFacts> = {
  id: 'codeowners/present',
  title: 'A CODEOWNERS file names who must review changes',
  severity: 'medium',
  remediation:
    'Add .github/CODEOWNERS (or CODEOWNERS, docs/CODEOWNERS, .gitlab/CODEOWNERS) with rules such as `* @org/team`, and require code-owner review on protected branches.',
  evaluate(facts) {
    const file = facts.file;
    if (!file) {
      return failed(
        this.id,
        'no CODEOWNERS file found',
        [absenceEvidence],
        [findingOf(this, 'The repository has no CODEOWNERS file, so no change has a required reviewer.')],
      );
    }
    if (!file.readable) return unknown(this.id, `${file.path} could not be read`, unreadableHelp(file.path));
    const findings = invalidLineFindings(this, file);
    const firstOwned = file.rules.find((rule) => rule.owners.length > 0);
    if (!firstOwned) {
      findings.unshift(
        findingOf(this, `${file.path} has no rule that names an owner.`, { location: { path: file.path } }),
      );
      return failed(this.id, `${file.path} names no owner`, [fileEvidence(file)], findings);
    }
    const summary = `${file.path}: ${file.rules.length} rule(s)`;
    const placeholders = file.rules.flatMap((rule) =>
      rule.owners.flatMap((owner) => {
        const reason = placeholderOwnerReason(owner);
        return reason ? [{ rule, owner, reason }] : [];
      }),
    );
    const realOwners = file.rules.some((rule) =>
      rule.owners.some((owner) => placeholderOwnerReason(owner) === undefined),
    );
    for (const { rule, owner, reason } of placeholders) {
      findings.push(
        findingOf(this, `${file.path} line ${rule.line} (${rule.pattern}): ${reason}.`, {
          location: { path: file.path, line: rule.line },
          key: `placeholder\0${rule.pattern}\0${owner}`,
          severity: realOwners ? 'low' : 'medium',
          remediation: 'Name real owners: @user, @org/team or an e-mail address on your own domain.',
        }),
      );
    }
    if (!realOwners) {
      return failed(
        this.id,
        `${summary}, every owner a placeholder`,
        [fileEvidence(file, firstOwned.line)],
        findings,
      );
    }
    if (findings.length > 0) {
      return failed(
        this.id,
        `${summary}, ${file.invalidLines.length} invalid line(s) the forge ignores`,
        [fileEvidence(file, firstOwned.line)],
        findings,
      );
    }
    return passed(this.id, summary, [fileEvidence(file, firstOwned.line)]);
  },
};

export const codeownersCoverage: Check<CodeownersFacts> = {
  id: 'codeowners/coverage',
  title: 'CODEOWNERS gives most files an owner',
  severity: 'medium',
  remediation:
    'Add CODEOWNERS rules (a catch-all `* @org/team` first, specific folders after) so that the uncovered folders get an owner.',
  evaluate(facts, policy) {
    const threshold = policy.thresholds.codeownersCoverage;
    const file = facts.file;
    if (!file) {
      if (facts.totalFiles === 0) return notApplicable(this.id, 'the repository has no files');
      return failed(
        this.id,
        `no CODEOWNERS file: none of ${facts.totalFiles} files has an owner`,
        [absenceEvidence],
        [findingOf(this, 'No file has a code owner because there is no CODEOWNERS file.')],
      );
    }
    if (facts.coverageProblem !== undefined) {
      return unknown(
        this.id,
        `coverage of ${file.path} not measured: ${facts.coverageProblem}`,
        `Simplify the patterns in ${file.path} (fewer \`**\` segments per rule) and run again.`,
      );
    }
    if (!file.readable || !facts.coverage) {
      return unknown(this.id, `${file.path} could not be read`, unreadableHelp(file.path));
    }
    const { totalFiles, ownedFiles } = facts.coverage;
    if (totalFiles === 0) return notApplicable(this.id, 'the repository has no files', [fileEvidence(file)]);
    if (
      !file.rules.some((rule) => rule.owners.some((owner) => placeholderOwnerReason(owner) === undefined))
    ) {
      const described = `every owner in CODEOWNERS is a placeholder, so none of ${totalFiles} files has a real owner`;
      return failed(
        this.id,
        `${file.path}: ${described}`,
        [{ kind: 'file', path: file.path, note: described }],
        [
          findingOf(this, `No file has a real code owner: ${file.path} names only placeholders.`, {
            key: 'placeholders',
          }),
        ],
      );
    }
    const share = ownedFiles / totalFiles;
    const described = `${ownedFiles} of ${totalFiles} files (${percent(share)}) have an owner; the policy asks for ${percent(threshold)}`;
    const evidence: Evidence[] = [{ kind: 'file', path: file.path, note: described }];
    // A threshold of 0 asks for nothing: a pass still needs one owned file to rest on.
    if (share >= threshold && ownedFiles > 0) return passed(this.id, described, evidence);
    const findings = facts.coverage.uncoveredFolders.map((folder) =>
      findingOf(
        this,
        folder.folder === rootFolder
          ? `${folder.files} file(s) at the top level have no owner.`
          : `${folder.files} file(s) under ${folder.folder} have no owner.`,
        { location: { path: folder.folder === rootFolder ? file.path : folder.folder }, key: folder.folder },
      ),
    );
    const more = facts.coverage.uncoveredFolderCount - facts.coverage.uncoveredFolders.length;
    if (more > 0) {
      evidence.push({
        kind: 'file',
        path: file.path,
        note: `${more} more top-level folder(s) hold files without an owner`,
      });
    }
    return failed(this.id, described, evidence, findings);
  },
};

function invalidLineFindings(check: Check<CodeownersFacts>, file: CodeownersFile): Finding[] {
  return file.invalidLines.map((invalid) =>
    findingOf(check, `${file.path} line ${invalid.line} is ignored: ${invalid.reason}.`, {
      location: { path: file.path, line: invalid.line },
      key: invalid.text,
      severity: 'low',
      remediation: 'Fix the line: a path pattern followed by @user, @org/team or an e-mail address.',
    }),
  );
}

function fileEvidence(file: CodeownersFile, line?: number): Evidence {
  const notes: string[] = [];
  if (file.truncated) notes.push('file truncated: only its beginning was read');
  if (file.shadowed.length > 0) notes.push(`ignored because this file wins: ${file.shadowed.join(', ')}`);
  const evidence: Evidence = { kind: 'file', path: file.path };
  if (line !== undefined) evidence.line = line;
  if (notes.length > 0) evidence.note = notes.join('; ');
  return evidence;
}

function percent(share: number): string {
  return `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
}
