import type { Evidence } from '../../kernel/index.js';
import { ciLocations } from '../../pipelines/index.js';
import { failed, findingOf, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import { type CiFacts, type CiFile, maxCiFileBytes } from './collect.js';

const absenceEvidence: Evidence = {
  kind: 'absence',
  lookedFor: ciLocations.map((entry) => entry.location),
  in: 'working tree',
};

export const ciPresent: Check<CiFacts> = {
  id: 'ci/present',
  title: 'Changes are built by an automated pipeline',
  severity: 'high',
  remediation:
    'Add a CI pipeline (for example .github/workflows/ci.yml or .gitlab-ci.yml) that builds and checks every change.',
  evaluate(facts) {
    if (facts.files.length === 0) {
      return failed(
        this.id,
        'no CI configuration found',
        [absenceEvidence],
        [findingOf(this, 'The repository has no CI pipeline definition.')],
      );
    }
    // A file that could not be read says nothing of when it runs: it is not counted as running.
    const running = facts.files.filter((file) => file.readable && file.notOnChanges === undefined);
    const unread = facts.files.filter((file) => !file.readable);
    if (running.length === 0 && unread.length > 0) {
      return unknown(
        this.id,
        `${unread.length} CI file(s) could not be read as pipelines, so whether they run on changes is not known: ${unread.map((file) => file.path).join(', ')}`,
        'Make the CI file a valid pipeline definition for its system (text, parsable, within the size limit), so its triggers can be read.',
      );
    }
    if (running.length === 0) {
      // A pipeline nobody triggers builds nothing: it is not automation of changes.
      return failed(
        this.id,
        `no CI file runs on changes: ${facts.files.map((file) => file.notOnChanges).join('; ')}`,
        facts.files.map((file) => ({
          kind: 'file',
          path: file.path,
          note: file.notOnChanges ?? file.system,
        })),
        facts.files.map((file) =>
          findingOf(this, `${file.path} never runs on a push or pull request (${file.notOnChanges}).`, {
            location: { path: file.path },
            key: 'not-on-changes',
          }),
        ),
      );
    }
    const systems = [...new Set(running.map((file) => file.system))];
    return passed(
      this.id,
      `${running.length} CI file(s) run on changes: ${systems.join(', ')}`,
      running.map((file) => ({ kind: 'file', path: file.path, note: file.system })),
    );
  },
};

export const ciRunsTests: Check<CiFacts> = {
  id: 'ci/runs-tests',
  title: 'The pipeline runs the tests',
  severity: 'medium',
  remediation:
    'Run the test suite in CI (npm test, pytest, go test, mvn verify, …) on every change, so that a failing test blocks the merge.',
  evaluate(facts) {
    if (facts.files.length === 0) {
      return failed(
        this.id,
        'no CI configuration, so no tests run automatically',
        [absenceEvidence],
        [findingOf(this, 'No CI pipeline runs the tests.')],
      );
    }
    const testing = facts.files.filter((file) => file.testCommand !== undefined);
    if (testing.length > 0) {
      const evidence: Evidence[] = testing.map((file) => ({
        kind: 'file',
        path: file.path,
        line: file.testCommand?.line ?? 1,
        note: `runs ${file.testCommand?.command ?? 'tests'}`,
      }));
      return passed(this.id, `tests run in ${testing.map((file) => file.path).join(', ')}`, evidence);
    }
    const readable = facts.files.filter((file) => file.readable);
    if (readable.length === 0) {
      return unknown(
        this.id,
        'no CI file could be read',
        'Make the CI files readable UTF-8 text (see the problems list) and run again.',
      );
    }
    const refused = readable.flatMap((file) => file.refusedTests.map((reason) => `${file.path}: ${reason}`));
    const refusedNote = refused.length === 0 ? '' : `; not counted: ${refused.slice(0, 5).join('; ')}`;
    return failed(
      this.id,
      `no test command that runs on changes found in ${readable.length} CI file(s)${refusedNote}`,
      readable.map(searchedEvidence),
      readable.map((file) =>
        findingOf(
          this,
          `${file.path} (${file.system}) runs no recognised test command on changes${file.refusedTests.length > 0 ? ` (not counted: ${file.refusedTests.slice(0, 3).join('; ')})` : ''}.`,
          {
            location: { path: file.path },
            key: 'no-test-command',
          },
        ),
      ),
    );
  },
};

function searchedEvidence(file: CiFile): Evidence {
  const note = file.truncated
    ? `searched the first ${maxCiFileBytes / 1024 / 1024} MB for test commands: none found`
    : 'searched for test commands: none found';
  return { kind: 'file', path: file.path, note };
}
