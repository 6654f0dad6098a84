import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/index.js';
import {
  buildEvidencePack,
  checkPeriod,
  maxPackBytes,
  verifyEvidencePack,
} from '../../evidence-pack/index.js';
import { escapeForTerminal, readInputFile, toolVersion } from '../../kernel/index.js';
import { type NoteVerifier, parseVerifierKey } from '../../ledger/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printStdout, writeFileAtomically } from '../output.js';
import { withCommandStore } from '../store-access.js';

export function registerPackCommand(program: Command): void {
  program
    .command('pack')
    .description(
      "write the auditor's evidence pack for a period: assessments, records, evidence files, the signed ledger checkpoint and an inclusion proof for every item",
    )
    .requiredOption('--from <date>', 'first day of the period, YYYY-MM-DD (inclusive)')
    .requiredOption('--to <date>', 'last day of the period, YYYY-MM-DD (inclusive)')
    .requiredOption('--out <file>', 'where to write the pack')
    .option('--db <location>', 'SQLite file or postgres:// URL (default: $SHIPGUARD_DB, then .shipguard/)')
    .addHelpText(
      'after',
      `
The pack uses the newest checkpoint in the store (shipguard ledger checkpoint); every item must
be covered by it, else nothing is written. Verify with: shipguard verify-pack FILE --checkpoint-key KEY`,
    )
    .action(
      action(async (options: { from: string; to: string; out: string; db?: string }) => {
        const period = checkPeriod(options.from, options.to);
        const catalog = loadCatalog();
        const built = await withCommandStore(options.db, (store) =>
          buildEvidencePack(store, { period, catalog, now: new Date(), toolVersion }),
        );
        await writeFileAtomically(options.out, built.bytes);
        printStdout(
          `packed  ${built.counts.assessments} assessments, ${built.counts.records} records, ${built.counts.evidence} evidence files (${built.counts.files} files) for ${period.from}..${period.to}\n` +
            `        checkpoint ${escapeForTerminal(built.checkpoint.origin)} at ${built.checkpoint.size} entries; pack sha256 ${built.sha256}\n`,
        );
        return exitCodes.ok;
      }),
    );
}

export function registerVerifyPackCommand(program: Command): void {
  program
    .command('verify-pack')
    .description(
      'verify an evidence pack offline: every file digest, every inclusion proof, the checkpoint signature',
    )
    .argument('<file>', 'the pack (shipguard pack --out)')
    .option(
      '--checkpoint-key <key>',
      'the signed-note verifier key you expect the checkpoint to be signed with (<name>+<hash>+<key>; shipguard ledger verifier-key)',
    )
    .option('--origin <origin>', 'the ledger origin you expect the checkpoint to be of')
    .option('--format <format>', 'table | json', 'table')
    .addHelpText(
      'after',
      `
Exit codes: 0 the pack verifies; 1 a problem was found (each named, with the file or item);
2 usage error. Without --checkpoint-key the signature cannot be checked, which is a problem.`,
    )
    .action(
      action(async (file: string, options: { checkpointKey?: string; origin?: string; format: string }) => {
        if (options.format !== 'table' && options.format !== 'json') {
          throw new UsageError('USAGE_INVALID_OPTION', '--format is table or json');
        }
        let verifiers: NoteVerifier[] = [];
        if (options.checkpointKey !== undefined) {
          try {
            verifiers = [parseVerifierKey(options.checkpointKey)];
          } catch (error) {
            throw new UsageError('USAGE_INVALID_OPTION', `--checkpoint-key: ${(error as Error).message}`, {
              cause: error,
            });
          }
        }
        // Bounded by reading: a pack larger than any pack may be is refused before parsing.
        const bytes = await readInputFile(file, 'evidence pack', { maxBytes: maxPackBytes });
        const result = await verifyEvidencePack(bytes, {
          verifiers,
          catalog: loadCatalog(),
          ...(options.origin === undefined ? {} : { origin: options.origin }),
        });
        if (options.format === 'json') {
          printStdout(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          const lines: string[] = [];
          for (const problem of result.problems) {
            lines.push(
              `rejected  ${problem.code}  ${escapeForTerminal(problem.subject)}: ${escapeForTerminal(problem.message)}`,
            );
          }
          for (const note of result.notes) lines.push(`note      ${escapeForTerminal(note)}`);
          const { counts } = result;
          const where =
            result.checkpoint === undefined
              ? ''
              : `, checkpoint ${escapeForTerminal(result.checkpoint.origin)} at ${result.checkpoint.size} entries`;
          lines.push(
            `${result.ok ? 'verified' : 'FAILED  '}  ${counts.files} files, ${counts.assessments} assessments, ${counts.records} records, ${counts.evidence} evidence files${where}${result.ok ? '' : `; ${result.problems.length} problems`}`,
          );
          printStdout(`${lines.join('\n')}\n`);
        }
        return result.ok ? exitCodes.ok : exitCodes.findings;
      }),
    );
}
