import { type Command, Option } from 'commander';
import {
  type Framework,
  frameworkStatus,
  frameworks,
  loadCatalog,
  renderFrameworkStatus,
} from '../../catalog/index.js';
import { collectors } from '../../collectors/index.js';
import { scanRepositoryOnce } from '../../ecosystems/index.js';
import { assess } from '../../engine/index.js';
import { recordComponents } from '../../fleet/index.js';
import { type Assessment, RepositorySnapshot, severities, withGitMemo } from '../../kernel/index.js';
import type { FailOn, LoadedPolicy } from '../../policy/index.js';
import { loadPolicy } from '../../policy/index.js';
import { failingAtOrAbove, reportFormats, unknownAtOrAbove } from '../../report/index.js';
import { identifyFolder } from '../../source-control/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { createProgress, useColor, writeDiagnostic, writeOutput } from '../output.js';
import { type ProtectedPolicy, readProtectedPolicy, stricterThreshold } from '../protected-exceptions.js';
import { readSignedRecords } from '../records-access.js';
import { commandStoreAccess, saveAssessmentRecord } from '../store-access.js';
import { addUploadOptions, checkUploadUrl, type UploadOptions, uploadIfAsked } from '../upload.js';

interface AssessOptions extends UploadOptions {
  format: keyof typeof reportFormats;
  out?: string;
  failOn?: FailOn;
  failOnUnknown?: FailOn;
  period?: string;
  policy?: string;
  db?: string;
  save: boolean;
  framework?: Framework;
}

const unreadCodes = new Set([
  'FILE_TOO_LARGE',
  'FILE_UNREADABLE',
  'FILE_NOT_REGULAR',
  'FILE_OUTSIDE_REPOSITORY',
  'FILE_READ_TIMEOUT',
  'FOLDER_UNREADABLE',
]);

export function registerAssessCommand(program: Command): void {
  const command = program
    .command('assess')
    .description('assess a repository against every control of the secure-development policy')
    .argument('[path]', 'the repository (or any folder) to assess', '.')
    .addOption(
      new Option('-f, --format <format>', 'report format')
        .choices(Object.keys(reportFormats))
        .default('table'),
    )
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a control of this severity or above fails (default: policy failOn, else high)',
      ).choices([...severities, 'none']),
    )
    .addOption(
      new Option(
        '--fail-on-unknown <severity>',
        'strict mode: also exit 1 when a control of this severity or above is unknown (default: policy failOnUnknown, else none)',
      ).choices([...severities, 'none']),
    )
    .option(
      '--period <from..to>',
      'audit period history-based controls judge, e.g. 2026-01-01..2026-06-30 (default: policy auditPeriod, else the last 12 months)',
    )
    .option('--policy <file>', 'policy file (default: shipguard.yaml at the repository root)')
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option('--no-save', 'do not record the assessment in the store')
    .addOption(
      new Option(
        '--framework <framework>',
        'report per framework item (ISO/IEC 27001:2022 Annex A, NIST SSDF, NCSC Principle 7) with the controls beneath; --format table or json',
      ).choices([...frameworks]),
    );
  addUploadOptions(command, 'assessment (the JSON report)')
    .addHelpText(
      'after',
      `
Exit codes: 0 no failing control at or above --fail-on (nor unknown at or above --fail-on-unknown),
1 failing (or, in strict mode, unknown) controls, 2 usage or policy error, 3 internal error.

Examples:
  shipguard assess .                         terminal report of the current repository
  shipguard assess . --format sarif -o a.sarif   SARIF 2.1.0 for code scanning
  shipguard assess ../service --fail-on medium
  SHIPGUARD_TOKEN=… shipguard assess . --upload https://shipguard.example   record it on the server`,
    )
    .action(
      action((path: string, options: AssessOptions, command: Command) =>
        // The command reads one state of the repository: git's answers are shared by all its parts.
        withGitMemo(async () => {
          if (options.upload !== undefined) checkUploadUrl(options.upload);
          if (options.framework !== undefined && options.format !== 'table' && options.format !== 'json') {
            throw new UsageError('USAGE_INVALID_OPTION', '--framework renders as --format table or json');
          }
          const global = globalOptions(command);
          const progress = createProgress(global.quiet);
          progress('assessing: reading the repository');
          const repository = await RepositorySnapshot.open(path);
          const loadedPolicy = await loadPolicy(repository.root, options.policy);
          const catalog = loadCatalog();
          progress('assessing: reading signed records');
          const records = await readSignedRecords(catalog, repository.root, loadedPolicy, options.db);
          const protectedPolicy = await readProtectedPolicy(repository, loadedPolicy);
          const protectedExceptions = protectedPolicy.exceptions;
          // One store for the whole command: the collectors read it, the record is written to it.
          const store = commandStoreAccess(repository.root, options.db, { cachesMayCreate: options.save });
          let assessment: Awaited<ReturnType<typeof assess>>;
          let repositoryKey: string | undefined;
          const timings: [string, number][] = [];
          try {
            assessment = await assess({
              repository,
              catalog,
              collectors,
              loadedPolicy,
              store,
              environment: process.env,
              onProgress: progress,
              ...(global.verbose ? { onCollectorDone: (id, ms) => timings.push([id, ms]) } : {}),
              records,
              protectedExceptions,
              ...(options.period === undefined ? {} : { period: options.period }),
            });
            progress('');
            if (timings.length > 0) writeDiagnostic(describeTimings(timings));
            if (options.save) {
              // History is keyed by what the repository is (its remote), not where it was cloned.
              const identity = await identifyFolder(repository.root);
              if (identity.source === 'path') progress(`history: ${identity.note}`);
              if (identity.source === 'remote') repositoryKey = identity.key;
              await saveAssessmentRecord(assessment, identity.key, store, [repository.root]);
              // Its SBOM by package, so `fleet rematch` finds it when a new advisory arrives.
              const scan = await scanRepositoryOnce(repository);
              await recordComponents(await store.open(), identity.key, scan.packages, new Date());
            }
          } finally {
            await store.close();
          }
          // Decided before rendering: a threshold the branch tried to lower is a problem in the report.
          const { failOn, failOnUnknown } = exitThresholds(
            options,
            loadedPolicy,
            protectedPolicy,
            assessment,
          );
          const format = reportFormats[options.format];
          const color = options.out === undefined && useColor(global.color);
          const renderOptions = global.verbose ? { color, verbose: true } : { color };
          const text =
            options.framework === undefined
              ? format.render(assessment, renderOptions)
              : renderFrameworkStatus(
                  frameworkStatus(catalog, assessment, options.framework),
                  options.format === 'json' ? 'json' : 'table',
                );
          await writeOutput(text, options.out === undefined ? {} : { out: options.out });
          if (options.upload !== undefined) {
            if (repositoryKey === undefined) {
              const identity = await identifyFolder(repository.root);
              if (identity.source === 'remote') repositoryKey = identity.key;
            }
            await uploadIfAsked(
              options,
              {
                endpoint: '/api/v1/assessments',
                body: reportFormats.json.render(assessment, { color: false }),
                mediaType: 'application/json',
                what: 'assessment',
                ...(repositoryKey === undefined ? {} : { repository: repositoryKey }),
              },
              process.env,
            );
          }
          // A file the assessment needed but could not read (too large, a FIFO, a link out of the
          // repository, unreadable) may hide a failing control: --fail-on counts it.
          const unread =
            failOn !== 'none' && assessment.problems.some((problem) => unreadCodes.has(problem.code));
          const failing =
            failingAtOrAbove(assessment, failOn).length + unknownAtOrAbove(assessment, failOnUnknown).length;
          return unread || failing > 0 ? exitCodes.findings : exitCodes.ok;
        }),
      ),
    );
}

/**
 * --fail-on / --fail-on-unknown as given; else the policy's, but never laxer than the protected
 * default branch's: a change under assessment cannot lower the bar it is judged by. A lowered
 * threshold is named as a problem of the assessment.
 */
function exitThresholds(
  options: AssessOptions,
  loaded: LoadedPolicy,
  held: ProtectedPolicy,
  assessment: Assessment,
): { failOn: FailOn; failOnUnknown: FailOn } {
  const pick = (name: 'failOn' | 'failOnUnknown', given: FailOn | undefined): FailOn => {
    if (given !== undefined) return given;
    const own = loaded.policy[name];
    if (!held.thresholds) return own;
    const chosen = stricterThreshold(own, held.thresholds[name]);
    if (chosen !== own)
      assessment.problems.push({
        severity: 'warning',
        code: 'THRESHOLD_NOT_PROTECTED',
        message: `${name}: ${own} in the working tree's policy is laxer than ${chosen} on ${held.thresholds.ref}; ${chosen} applies until the change is merged there`,
      });
    return chosen;
  };
  return {
    failOn: pick('failOn', options.failOn),
    failOnUnknown: pick('failOnUnknown', options.failOnUnknown),
  };
}

/** `collectors (wall time, they run at once): secrets 4.1 s, review 1.2 s, …`, slowest first. */
function describeTimings(timings: readonly [string, number][]): string {
  const sorted = [...timings].sort((a, b) => b[1] - a[1]);
  return `collectors (wall time each, run concurrently): ${sorted.map(([id, ms]) => `${id} ${(ms / 1000).toFixed(2)} s`).join(', ')}`;
}
