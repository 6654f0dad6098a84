import type { Command } from 'commander';
import { z } from 'zod';
import { checkChangeProjections } from '../../changes/index.js';
import { escapeForTerminal, readInputFile } from '../../kernel/index.js';
import {
  appendEvents,
  createCheckpoint,
  decodeBase64,
  encodeBase64,
  formatConsistencyProofFile,
  formatInclusionProofFile,
  formatVerifierKey,
  LedgerError,
  type LedgerEvent,
  type LedgerHead,
  latestCheckpoint,
  parseConsistencyProofFile,
  parseInclusionProofFile,
  parseVerifierKey,
  proveConsistency,
  proveInclusion,
  readEntries,
  readHead,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyLedger,
} from '../../ledger/index.js';
import { parsePrivateKey } from '../../provenance/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printStdout, writeFileAtomically, writeOutput } from '../output.js';
import { withCommandStore } from '../store-access.js';

const maxInputBytes = 16 * 1024 * 1024;

/** Reads a file argument, or stdin when it is `-` or absent and stdin is not a terminal. */
async function readInput(path: string | undefined): Promise<{ text: string; name: string }> {
  if (path !== undefined && path !== '-') {
    // Bounded by reading: /dev/zero or an endless FIFO ends in an error, not in memory growth.
    const buffer = await readInputFile(path, 'input', { maxBytes: maxInputBytes });
    return { text: buffer.toString('utf8'), name: path };
  }
  if (process.stdin.isTTY)
    throw new UsageError('USAGE_MISSING_ARGUMENT', 'give a file, or pipe the input on stdin');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > maxInputBytes) throw new UsageError('USAGE_INVALID_OPTION', 'stdin is too large');
    chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), name: '<stdin>' };
}

function parseCount(value: string, name: string): number {
  if (!/^[0-9]{1,15}$/.test(value))
    throw new UsageError('USAGE_INVALID_OPTION', `${name} must be a non-negative integer`);
  return Number(value);
}

const eventSchema = z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }).strict();
const eventsSchema = z.union([eventSchema, z.array(eventSchema).max(100_000)]);

function parseEvents(text: string, name: string): LedgerEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError('USAGE_INVALID_OPTION', `${name} is not JSON`, { cause: error });
  }
  const parsed = eventsSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `${name}: an event is {"type": "...", "data": {...}}, or an array of them`,
    );
  }
  return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
}

/** What `ledger verify` keeps between runs: the last size and root it checked, and the signed note. */
const stateSchema = z.object({
  size: z.number().int().nonnegative(),
  root: z.string(),
  note: z.string().optional(),
});

async function readState(path: string): Promise<{ head: LedgerHead; note?: string } | undefined> {
  let text: string;
  try {
    text = (await readInputFile(path, 'checkpoint state', { maxBytes: maxInputBytes })).toString('utf8');
  } catch (error) {
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError('USAGE_INVALID_OPTION', `${path} is not JSON`, { cause: error });
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) throw new UsageError('USAGE_INVALID_OPTION', `${path} is not a ledger state file`);
  const head = { size: parsed.data.size, root: decodeBase64(parsed.data.root, 'root') };
  return parsed.data.note === undefined ? { head } : { head, note: parsed.data.note };
}

function reject(error: unknown): number {
  if (!(error instanceof LedgerError)) throw error;
  printStdout(`rejected  ${error.code}: ${escapeForTerminal(error.message)}\n`);
  return exitCodes.findings;
}

export function registerLedgerCommand(program: Command): void {
  const ledger = program
    .command('ledger')
    .description('the tamper-evident log of every state change: append, show, prove, checkpoint, verify');
  const dbOption = [
    '--db <location>',
    'SQLite file or postgres:// URL (default: $SHIPGUARD_DB, then .shipguard/)',
  ] as const;

  ledger
    .command('append')
    .description('append events ({"type", "data"} or an array of them) from a file or stdin')
    .argument('[file]', 'JSON file, or - for stdin')
    .option(...dbOption)
    .action(
      action(async (file: string | undefined, options: { db?: string }) => {
        const input = await readInput(file);
        const events = parseEvents(input.text, input.name);
        // Change transitions, gate decisions and the log's own checkpoint records are written by
        // the commands that make or prove them (shipguard change, gate, ledger checkpoint), never
        // typed in: an unsigned entry would read like a real one.
        const reserved = events.find((event) => /^(change|gate|ledger|evidence)\./.test(event.type));
        if (reserved) {
          throw new UsageError(
            'USAGE_INVALID_OPTION',
            `${reserved.type} entries are written by shipguard change, gate, evidence import and ledger checkpoint, not appended by hand`,
          );
        }
        const result = await withCommandStore(options.db, (store) => appendEvents(store, events));
        printStdout(
          `${JSON.stringify({ firstIndex: result.firstIndex, size: result.size, root: encodeBase64(result.root) })}\n`,
        );
        return exitCodes.ok;
      }),
    );

  ledger
    .command('show')
    .description('print the head and entries')
    .option('--from <index>', 'first entry', '0')
    .option('--limit <count>', 'how many entries', '50')
    .option('--format <format>', 'table | json', 'table')
    .option(...dbOption)
    .action(
      action(async (options: { from: string; limit: string; format: string; db?: string }) => {
        const from = parseCount(options.from, '--from');
        const limit = parseCount(options.limit, '--limit');
        const { head, entries } = await withCommandStore(options.db, async (store) => ({
          head: await readHead(store),
          entries: await readEntries(store, from, limit),
        }));
        if (options.format === 'json') {
          const output = {
            size: head.size,
            root: encodeBase64(head.root),
            entries: entries.map((entry) => JSON.parse(entry.entry)),
          };
          printStdout(`${JSON.stringify(output, null, 2)}\n`);
        } else {
          const lines = [`size ${head.size}  root ${encodeBase64(head.root)}`];
          for (const entry of entries)
            lines.push(
              `${String(entry.index).padStart(8)}  ${entry.createdAt}  ${escapeForTerminal(entry.entry)}`,
            );
          printStdout(`${lines.join('\n')}\n`);
        }
        return exitCodes.ok;
      }),
    );

  ledger
    .command('proof')
    .description('write an inclusion proof (--index) or a consistency proof (--from-size) as JSON')
    .option('--index <index>', 'entry to prove included')
    .option('--size <size>', 'tree size for the inclusion proof (default: current)')
    .option('--from-size <size>', 'older tree size for a consistency proof')
    .option('--to-size <size>', 'newer tree size (default: current)')
    .option('--out <file>', 'write the proof here')
    .option(...dbOption)
    .action(
      action(
        async (options: {
          index?: string;
          size?: string;
          fromSize?: string;
          toSize?: string;
          out?: string;
          db?: string;
        }) => {
          if ((options.index === undefined) === (options.fromSize === undefined)) {
            throw new UsageError('USAGE_INVALID_OPTION', 'give exactly one of --index or --from-size');
          }
          const text = await withCommandStore(options.db, async (store) => {
            try {
              if (options.index !== undefined) {
                const size = options.size === undefined ? undefined : parseCount(options.size, '--size');
                return formatInclusionProofFile(
                  await proveInclusion(store, parseCount(options.index, '--index'), size),
                );
              }
              const toSize =
                options.toSize === undefined ? undefined : parseCount(options.toSize, '--to-size');
              return formatConsistencyProofFile(
                await proveConsistency(store, parseCount(options.fromSize ?? '0', '--from-size'), toSize),
              );
            } catch (error) {
              if (error instanceof LedgerError && error.code === 'LEDGER_OUT_OF_RANGE') {
                throw new UsageError('USAGE_INVALID_OPTION', error.message, { cause: error });
              }
              throw error;
            }
          });
          await writeOutput(text, options.out === undefined ? {} : { out: options.out });
          return exitCodes.ok;
        },
      ),
    );

  ledger
    .command('checkpoint')
    .description('sign a C2SP checkpoint of the current head with an Ed25519 key, store and print it')
    .requiredOption('--key <file>', 'Ed25519 PEM private key (shipguard keys generate --type ed25519)')
    .requiredOption('--origin <origin>', 'the log origin line, e.g. example.com/shipguard/ledger')
    .option('--key-name <name>', 'note key name (default: the origin)')
    .option('--out <file>', 'write the note here')
    .option(...dbOption)
    .action(
      action(
        async (options: { key: string; origin: string; keyName?: string; out?: string; db?: string }) => {
          const privateKey = parsePrivateKey(
            (await readInputFile(options.key, 'key', { maxBytes: 64 * 1024 })).toString('utf8'),
            options.key,
          );
          if (privateKey.asymmetricKeyType !== 'ed25519') {
            throw new UsageError('USAGE_INVALID_OPTION', 'checkpoints are signed with Ed25519 keys');
          }
          const name = options.keyName ?? options.origin;
          const note = await withCommandStore(options.db, (store) =>
            createCheckpoint(store, options.origin, { name, privateKey }),
          );
          await writeOutput(note, options.out === undefined ? {} : { out: options.out });
          return exitCodes.ok;
        },
      ),
    );

  ledger
    .command('verifier-key')
    .description(
      'print the signed-note verifier key of a checkpoint key (for ledger.checkpointKeys in the policy)',
    )
    .requiredOption('--key <file>', 'the Ed25519 PEM private key that signs checkpoints')
    .requiredOption(
      '--key-name <name>',
      'the note key name checkpoints are signed with (default there: the origin)',
    )
    .action(
      action(async (options: { key: string; keyName: string }) => {
        const privateKey = parsePrivateKey(
          (await readInputFile(options.key, 'key', { maxBytes: 64 * 1024 })).toString('utf8'),
          options.key,
        );
        if (privateKey.asymmetricKeyType !== 'ed25519') {
          throw new UsageError('USAGE_INVALID_OPTION', 'checkpoints are signed with Ed25519 keys');
        }
        printStdout(`${formatVerifierKey({ name: options.keyName, publicKey: privateKey })}\n`);
        return exitCodes.ok;
      }),
    );

  ledger
    .command('verify')
    .description('recompute the log from its entries and check it against the last checkpoint you kept')
    .option(
      '--state <file>',
      'where this verifier keeps its last checkpoint (read, then updated)',
      '.shipguard-ledger-state.json',
    )
    .option(
      '--verifier-key <key>',
      'signed-note verifier key (<name>+<hash>+<key>) to check the stored checkpoint',
    )
    .option(...dbOption)
    .action(
      action(async (options: { state: string; verifierKey?: string; db?: string }) => {
        const kept = await readState(options.state);
        const verifier =
          options.verifierKey === undefined ? undefined : parseVerifierKey(options.verifierKey);
        const outcome = await withCommandStore(options.db, async (store) => ({
          result: await verifyLedger(store, kept?.head),
          note: await latestCheckpoint(store),
          // The store's change rows are projections of the ledger: each must match its newest entry.
          projections: await checkChangeProjections(store),
        }));
        const { result } = outcome;
        if (result.problem) {
          const where = result.problem.index === undefined ? '' : ` (entry ${result.problem.index})`;
          printStdout(
            `rejected  ${result.problem.code}${where}: ${escapeForTerminal(result.problem.message)}\n`,
          );
          return exitCodes.findings;
        }
        if (outcome.projections.length > 0) {
          for (const problem of outcome.projections.slice(0, 50)) {
            printStdout(`rejected  LEDGER_TAMPERED: ${problem}\n`);
          }
          return exitCodes.findings;
        }
        if (verifier !== undefined && outcome.note === undefined) {
          // A signature was asked for: none to check is not a pass.
          printStdout(
            'rejected  CHECKPOINT_SIGNATURE_INVALID: no stored checkpoint to check with the verifier key (run shipguard ledger checkpoint)\n',
          );
          return exitCodes.findings;
        }
        let note: string | undefined;
        if (verifier !== undefined && outcome.note !== undefined) {
          try {
            const checkpoint = verifyCheckpoint(outcome.note, [verifier]);
            if (checkpoint.size === result.size) note = outcome.note;
          } catch (error) {
            return reject(error);
          }
        }
        const state = {
          size: result.size,
          root: encodeBase64(result.root),
          ...(note === undefined ? {} : { note }),
        };
        // Whole or not at all: a truncated state file would make the next verify refuse to start.
        await writeFileAtomically(options.state, `${JSON.stringify(state, null, 2)}\n`);
        printStdout(
          `verified  ${result.size} entries, root ${encodeBase64(result.root)}${kept ? `, consistent with the kept checkpoint at size ${kept.head.size}` : ''}\n`,
        );
        return exitCodes.ok;
      }),
    );

  ledger
    .command('verify-inclusion')
    .description('check an inclusion proof file (leafIdx, treeSize, root, leafHash, proof; base64)')
    .argument('[file]', 'proof JSON, or - for stdin')
    .action(
      action(async (file: string | undefined) => {
        const input = await readInput(file);
        try {
          verifyInclusion(parseInclusionProofFile(input.text, input.name));
        } catch (error) {
          return reject(error);
        }
        printStdout('verified  inclusion\n');
        return exitCodes.ok;
      }),
    );

  ledger
    .command('verify-consistency')
    .description('check a consistency proof file (size1, size2, root1, root2, proof; base64)')
    .argument('[file]', 'proof JSON, or - for stdin')
    .action(
      action(async (file: string | undefined) => {
        const input = await readInput(file);
        try {
          verifyConsistency(parseConsistencyProofFile(input.text, input.name));
        } catch (error) {
          return reject(error);
        }
        printStdout('verified  consistency\n');
        return exitCodes.ok;
      }),
    );
}
