import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import {
  type EvidenceImport,
  EvidenceImportError,
  type EvidenceKind,
  type EvidenceSummary,
  evidenceFormats,
  evidenceKinds,
  type FormatChoice,
  importEvidence,
  listImports,
  maxEvidenceFileBytes,
  parseEvidenceFile,
} from '../../evidence-import/index.js';
import { describeError, readInputFile, runGitText } from '../../kernel/index.js';
import { loadSigner } from '../../provenance/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { writeDiagnostic, writeOutput } from '../output.js';
import { withCommandStore } from '../store-access.js';

const dbOption = [
  '--db <location>',
  'SQLite file or postgres:// URL (default: $SHIPGUARD_DB, then .shipguard/ at the repository root)',
] as const;

interface ImportOptions {
  format: FormatChoice;
  commit?: string;
  tool?: string;
  repository: string;
  db?: string;
  json?: boolean;
  signWith?: string;
}

interface ListOptions {
  commit?: string;
  kind?: EvidenceKind;
  limit: string;
  format: 'table' | 'json';
  db?: string;
}

export function registerEvidenceCommand(program: Command): void {
  const evidence = program
    .command('evidence')
    .description('import results of other tools (tests, SARIF, ZAP, testssl.sh, coverage) as evidence');

  evidence
    .command('import')
    .description('record a result file of another tool as evidence for a commit')
    .argument('<file>', 'the report to import, or - for stdin')
    .addOption(
      new Option('--format <format>', 'the report format (default: recognised from the content)')
        .choices(['auto', ...evidenceFormats])
        .default('auto'),
    )
    .option('--commit <sha>', 'the commit the report is for, when the file does not say (default: HEAD)')
    .option('--tool <name>', 'the tool that wrote the report, when the file does not say')
    .option('--repository <path>', 'the repository whose HEAD and store are meant', '.')
    .option('--json', 'print the recorded import as JSON')
    .option(
      '--sign-with <key-file>',
      'sign the import with your PEM private key, registered with `records signer add`: the evidence is then signed, not declared',
    )
    .option(...dbOption)
    .addHelpText(
      'after',
      `
Formats (recognised from the content; --format names one):
  sarif      SARIF 2.1.0 from CodeQL, Semgrep or any code scanner. Feeds DES-03 and TST-03
             (any error-level result fails them), PIP-03, and the design controls whose
             weaknesses (CWE ids in the rules' tags) the results name.
  junit      JUnit XML (vitest --reporter=junit, pytest --junitxml, Maven Surefire, go-junit-report).
             Feeds TST-01: a failed or errored test fails it.
  zap        OWASP ZAP JSON report (zap-baseline.py -J). Feeds TST-03: a high-risk alert fails it.
  testssl    testssl.sh JSON (--jsonfile or --jsonfile-pretty). Feeds TST-03: HIGH or CRITICAL fails it.
  lcov       lcov tracefile (vitest/c8/istanbul --coverage.reporter=lcov, genhtml input).
  cobertura  Cobertura XML (coverage.py xml, istanbul cobertura, gcovr --xml). Coverage is shown
             with the test results (TST-01); it decides nothing on its own.

What is recorded: the tool, when it ran and the commit it ran on (from the file when the format
says so: SARIF's versionControlProvenance and invocation times, JUnit and Cobertura timestamps,
ZAP's @generated, testssl.sh's startTime; else --commit, else HEAD, and the time of import), the
file's SHA-256 and size, and what it reported (counts, rule ids, CWE ids: every string redacted).
The file itself is not kept. Each import is one ledger entry.

How it counts: results for another commit than the one assessed, or older than the policy's
evidence.importMaxAgeDays (default 30), do not carry a control and the result says why (scans of
a running service, ZAP and testssl.sh, are judged by age only). An imported file is what an
operator handed in, so its evidence level is 'declared': a high control that asks for 'signed'
evidence stays unknown on a clean import, while a failing import fails it. With --sign-with, the
import is signed by a key registered to a person (shipguard records signer add) and, once the
signature verifies on reading, it is 'signed' evidence.

Exit codes: 0 recorded, 2 unreadable or unrecognised file or bad option, 3 store failure.

Examples:
  npx vitest run --reporter=default --reporter=junit --outputFile.junit=junit.xml
  shipguard evidence import junit.xml
  shipguard evidence import codeql.sarif
  shipguard evidence import zap.json --commit 4f2c1e9 --db postgres://ci@db/shipguard
  shipguard evidence list --format json`,
    )
    .action(
      action(async (file: string, options: ImportOptions) => {
        if (options.commit !== undefined && !/^[0-9a-fA-F]{7,64}$/.test(options.commit)) {
          throw new UsageError(
            'USAGE_INVALID_OPTION',
            '--commit must be a commit id (7 to 64 hexadecimal digits)',
          );
        }
        const signer = options.signWith === undefined ? undefined : await loadSigner(options.signWith);
        const { bytes, name } = await readEvidenceInput(file);
        const parsed = parseEvidenceFile(bytes, name, options.format);
        const commit = await resolveCommit(options.repository, options.commit);
        const fileCommit = parsed.commit;
        if (
          fileCommit !== undefined &&
          options.commit !== undefined &&
          !fileCommit.startsWith(commit.id) &&
          !commit.id.startsWith(fileCommit)
        ) {
          writeDiagnostic(
            `note: ${name} says it ran on commit ${fileCommit.slice(0, 12)}; that is recorded, not --commit ${options.commit}`,
          );
        }
        const recorded = await withCommandStore(options.db, (store) =>
          importEvidence(store, {
            parsed,
            bytes,
            fileName: name,
            commit: commit.id,
            commitSource: commit.source,
            ...(options.tool === undefined ? {} : { tool: options.tool }),
            ...(signer === undefined ? {} : { signer }),
            now: new Date(),
          }),
        );
        await writeOutput(
          options.json === true ? JSON.stringify(recorded, null, 2) : describeImport(recorded),
          {},
        );
        return exitCodes.ok;
      }),
    );

  evidence
    .command('list')
    .description('list imported evidence, newest first, each checked against its ledger entry')
    .option('--commit <sha>', 'only evidence for this commit (full id or a prefix)')
    .addOption(new Option('--kind <kind>', 'only this kind of evidence').choices(evidenceKinds))
    .option('--limit <count>', 'how many', '50')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option(...dbOption)
    .action(
      action(async (options: ListOptions) => {
        if (!/^[0-9]{1,4}$/.test(options.limit)) {
          throw new UsageError('USAGE_INVALID_OPTION', '--limit must be a number from 1 to 1000');
        }
        if (options.commit !== undefined && !/^[0-9a-fA-F]{4,64}$/.test(options.commit)) {
          throw new UsageError('USAGE_INVALID_OPTION', '--commit must be a commit id or a prefix of one');
        }
        const listed = await withCommandStore(options.db, (store) =>
          listImports(store, {
            ...(options.commit === undefined ? {} : { commit: options.commit }),
            ...(options.kind === undefined ? {} : { kind: options.kind }),
            limit: Number(options.limit),
          }),
        );
        for (const row of listed.unverified) {
          writeDiagnostic(`not counted: import ${row.id}: ${row.reason}`);
        }
        if (options.format === 'json') {
          await writeOutput(JSON.stringify(listed, null, 2), {});
        } else if (listed.imports.length === 0) {
          await writeOutput('no imported evidence', {});
        } else {
          await writeOutput(listed.imports.map(describeImport).join('\n'), {});
        }
        return listed.unverified.length > 0 ? exitCodes.findings : exitCodes.ok;
      }),
    );
}

async function readEvidenceInput(file: string): Promise<{ bytes: Buffer; name: string }> {
  if (file !== '-') {
    // Bounded by reading: /dev/zero or an endless FIFO ends in an error, not in memory growth.
    const bytes = await readInputFile(file, 'evidence file', { maxBytes: maxEvidenceFileBytes });
    return { bytes, name: basename(file) };
  }
  if (process.stdin.isTTY)
    throw new UsageError('USAGE_MISSING_ARGUMENT', 'give a file, or pipe the report on stdin');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > maxEvidenceFileBytes) throw new UsageError('USAGE_INVALID_OPTION', 'stdin is too large');
    chunks.push(chunk as Buffer);
  }
  return { bytes: Buffer.concat(chunks), name: '<stdin>' };
}

/** The commit given (resolved to its full id when the repository knows it), else HEAD. */
async function resolveCommit(
  repository: string,
  given: string | undefined,
): Promise<{ id: string; source: 'option' | 'head' }> {
  if (given !== undefined) {
    const lower = given.toLowerCase();
    try {
      return {
        id: await runGitText(repository, ['rev-parse', '--verify', '--quiet', `${lower}^{commit}`]),
        source: 'option',
      };
    } catch {
      // A full id names its commit even when this clone lacks it (the report came from CI).
      if (lower.length === 40 || lower.length === 64) return { id: lower, source: 'option' };
      throw new EvidenceImportError(
        'EVIDENCE_COMMIT_INVALID',
        `--commit ${given} is not a commit of ${repository}; give the full commit id`,
      );
    }
  }
  try {
    return {
      id: await runGitText(repository, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
      source: 'head',
    };
  } catch (error) {
    throw new EvidenceImportError(
      'EVIDENCE_COMMIT_INVALID',
      `${repository} has no HEAD commit to bind the evidence to (${describeError(error).slice(0, 200)}); give --commit`,
    );
  }
}

function describeImport(item: EvidenceImport): string {
  return `${item.importedAt.slice(0, 19)}Z  ${item.format.padEnd(9)} ${item.commit.slice(0, 12)}  ${item.tool}: ${describeSummary(item.summary)}  (ran ${item.ranAt.slice(0, 19)}Z${item.ranAtSource === 'import' ? ', time of import' : ''}; ${item.fileName}, sha256 ${item.sha256.slice(0, 16)}…; ledger #${item.ledgerIndex}${item.signedBy === undefined ? '' : `; signed by ${item.signedBy}`})`;
}

function describeSummary(summary: EvidenceSummary): string {
  switch (summary.kind) {
    case 'tests':
      return `${summary.tests} tests, ${summary.failures} failed, ${summary.errors} errored, ${summary.skipped} skipped`;
    case 'coverage':
      return summary.linesFound === 0
        ? 'no lines measured'
        : `${((100 * summary.linesHit) / summary.linesFound).toFixed(1)}% of ${summary.linesFound} lines covered`;
    default:
      return `${summary.findings.high} high, ${summary.findings.medium} medium, ${summary.findings.low} low${summary.suppressed > 0 ? `, ${summary.suppressed} suppressed` : ''}${summary.complete ? '' : ' (run incomplete)'}`;
  }
}
