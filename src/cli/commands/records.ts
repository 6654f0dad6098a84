import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/index.js';
import { parseYamlValue } from '../../kernel/index.js';
import { listPeople, verifyPeople } from '../../people/index.js';
import { loadSigner } from '../../provenance/index.js';
import {
  addRecords,
  buildRecord,
  bundleDigest,
  describeEvidence,
  type EvidenceContent,
  exportBundle,
  exportFolder,
  importBundle,
  listDueItems,
  loadVerifiedRecords,
  parseColumnMap,
  type RecordDocument,
  RecordError,
  RecordInput,
  recordKinds,
  recordsFromCsv,
  registerSigner,
  type SignedRecord,
  signRecord,
  verifyRecords,
} from '../../records/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printStdout, writeDiagnostic, writeOutput } from '../output.js';
import { asUsage, readBoundedFile, withCommandStore } from './people.js';

const dbOption = [
  '--db <location>',
  'SQLite file or postgres:// URL (default: $SHIPGUARD_DB, then .shipguard/)',
] as const;

/** The key a person signs records with (`records add`, `records import`). */
const signingKeyOption = [
  '--key <file>',
  'your PEM private key (registered with records signer add)',
] as const;

const mediaTypes: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.html': 'text/html',
  '.py': 'text/x-python',
};

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function readEvidenceFiles(paths: readonly string[]): Promise<(EvidenceContent & { name: string })[]> {
  const files: (EvidenceContent & { name: string })[] = [];
  for (const path of paths) {
    const { readFile, stat } = await import('node:fs/promises');
    const info = await stat(path).catch((error: unknown) => {
      throw new UsageError('USAGE_INVALID_OPTION', `cannot read evidence ${path}`, { cause: error });
    });
    if (!info.isFile())
      throw new UsageError('USAGE_INVALID_OPTION', `evidence ${path} is not a regular file`);
    if (info.size > 10 * 1024 * 1024)
      throw new UsageError('USAGE_INVALID_OPTION', `evidence ${path} is larger than 10 MiB`);
    files.push(
      describeEvidence(
        basename(path),
        await readFile(path),
        mediaTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
      ),
    );
  }
  return files;
}

/** What the commands that sign records into the store (`add`, `import`) are given. */
interface SigningOptions {
  key: string;
  db?: string;
}

function withSigningOptions(command: Command): Command {
  return command.requiredOption(...signingKeyOption).option(...dbOption);
}

/** Signs each document with the person's key and adds them all to the store (all or none). */
async function signAndAdd(
  options: SigningOptions,
  documents: readonly RecordDocument[],
  evidence: readonly EvidenceContent[] = [],
): Promise<{ signed: SignedRecord[]; added: number; skipped: number }> {
  const signer = await asUsage(() => loadSigner(options.key));
  const signed: SignedRecord[] = [];
  for (const document of documents) signed.push(await signRecord(document, signer));
  const result = await withCommandStore(options.db, (store) => addRecords(store, signed, evidence));
  return { signed, ...result };
}

function checkKind(kind: string): void {
  if (!Object.hasOwn(recordKinds, kind))
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `unknown record kind ${kind}; one of ${Object.keys(recordKinds).join(', ')}`,
    );
}

export function registerRecordsCommand(program: Command): void {
  const records = program
    .command('records')
    .description(
      'signed records the policy asks for: training, acknowledgements, pen tests, threat models, suppliers…',
    );

  const add = records
    .command('add')
    .description(
      'sign a record written in YAML (effective, performedBy, data) and add it with its evidence files',
    )
    .argument('<kind>', `one of ${Object.keys(recordKinds).join(', ')}`)
    .requiredOption('--file <file>', 'the record as YAML or JSON')
    .option(
      '--evidence <file>',
      'an evidence file (repeat for several); kept content-addressed by SHA-256',
      collect,
    )
    .option(
      '--evidence-path <name=path>',
      'evidence also kept in the repository: its path there (repeat)',
      collect,
    );
  withSigningOptions(add).action(
    action(
      async (
        kind: string,
        options: SigningOptions & { file: string; evidence?: string[]; evidencePath?: string[] },
      ) => {
        checkKind(kind);
        let json: unknown;
        try {
          json = parseYamlValue(await readBoundedFile(options.file), { maxAliasCount: 100 });
        } catch (error) {
          if (error instanceof UsageError) throw error;
          throw new UsageError('USAGE_INVALID_OPTION', `${options.file} is not YAML`, { cause: error });
        }
        const input = RecordInput.safeParse(json);
        if (!input.success)
          throw new UsageError(
            'USAGE_INVALID_OPTION',
            `${options.file}: ${input.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ')}`,
          );
        const evidence = await readEvidenceFiles(options.evidence ?? []);
        const paths = new Map(
          (options.evidencePath ?? []).map((pair) => [
            pair.slice(0, pair.indexOf('=')),
            pair.slice(pair.indexOf('=') + 1),
          ]),
        );
        const named = evidence.map((file) => {
          const path = paths.get(file.name);
          return {
            name: file.name,
            sha256: file.sha256,
            size: file.size,
            mediaType: file.mediaType,
            ...(path ? { path } : {}),
          };
        });
        const document = await asUsage(async () =>
          buildRecord(kind, input.data, named, new Date(), options.file),
        );
        const { signed, added } = await signAndAdd(options, [document], evidence);
        printStdout(
          `${added === 1 ? 'added' : 'already recorded'} ${document.id} (sha256:${signed[0]?.digest})\n`,
        );
        return exitCodes.ok;
      },
    ),
  );

  const importCsv = records
    .command('import')
    .description('import an LMS or HR CSV export as signed records of one kind; all rows or none')
    .argument('<kind>', 'training | policy-acknowledgement')
    .argument('<file>', 'CSV with a header row')
    .option(
      '--map <field=column>',
      'read a record field from another column (repeat), e.g. person="Employee ID"',
      collect,
    )
    .option(
      '--performed-by <person>',
      'who performed each activity when no performed_by column says (default: the row person)',
    );
  withSigningOptions(importCsv).action(
    action(
      async (
        kind: string,
        file: string,
        options: SigningOptions & { map?: string[]; performedBy?: string },
      ) => {
        checkKind(kind);
        const text = await readBoundedFile(file);
        const documents = await asUsage(async () =>
          recordsFromCsv(kind, text, file, {
            columns: parseColumnMap(options.map ?? []),
            now: new Date(),
            ...(options.performedBy ? { performedBy: options.performedBy } : {}),
          }),
        );
        const result = await signAndAdd(options, documents);
        printStdout(
          `imported ${documents.length} ${kind} records (${result.added} new, ${result.skipped} already recorded)\n`,
        );
        return exitCodes.ok;
      },
    ),
  );

  records
    .command('list')
    .description('list records')
    .option('--kind <kind>', 'only this kind')
    .option('--format <format>', 'table | json', 'table')
    .option(...dbOption)
    .action(
      action(async (options: { kind?: string; format: string; db?: string }) => {
        if (options.kind) checkKind(options.kind);
        const list = await withCommandStore(options.db, (store) =>
          loadVerifiedRecords(store, undefined, options.kind ? [options.kind] : undefined),
        );
        if (options.format === 'json')
          await writeOutput(
            JSON.stringify(
              list.map((record) => ({
                ...record.document,
                signer: record.signer,
                digest: `sha256:${record.signed.digest}`,
              })),
              null,
              2,
            ),
            {},
          );
        else
          await writeOutput(
            list.length === 0
              ? 'no records'
              : list
                  .map(
                    (record) =>
                      `${record.document.effective}  ${record.document.kind.padEnd(26)} ${record.document.id.padEnd(50)} by ${record.document.performedBy}, signed by ${record.signer}`,
                  )
                  .join('\n'),
            {},
          );
        return exitCodes.ok;
      }),
    );

  records
    .command('show')
    .description('show one record as JSON, with its signer and digest')
    .argument('<id>', 'record id')
    .option(...dbOption)
    .action(
      action(async (id: string, options: { db?: string }) => {
        const found = (await withCommandStore(options.db, (store) => loadVerifiedRecords(store))).find(
          (record) => record.document.id === id,
        );
        if (!found) throw new UsageError('USAGE_INVALID_OPTION', `no record ${id}`);
        await writeOutput(
          JSON.stringify(
            {
              ...found.document,
              signer: found.signer,
              signerKeyId: found.signerKeyId,
              digest: `sha256:${found.signed.digest}`,
            },
            null,
            2,
          ),
          {},
        );
        return exitCodes.ok;
      }),
    );

  const dueCommand = (name: 'due' | 'overdue') =>
    records
      .command(name)
      .description(
        name === 'due'
          ? 'what the records say is due, soonest first'
          : 'what is past its due date, and since when (exit 1 when anything is)',
      )
      .option('--within <days>', 'only items due within this many days (due)', '60')
      .option('--format <format>', 'table | json', 'table')
      .option(...dbOption)
      .action(
        action(async (options: { within: string; format: string; db?: string }) => {
          if (!/^\d{1,5}$/.test(options.within))
            throw new UsageError('USAGE_INVALID_OPTION', '--within takes a number of days');
          const now = new Date();
          const today = now.toISOString().slice(0, 10);
          const horizon = new Date(now.getTime() + Number(options.within) * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const items = await withCommandStore(options.db, async (store) =>
            listDueItems(
              loadCatalog(),
              {
                people: await listPeople(store),
                records: (await loadVerifiedRecords(store)).map((record) => ({ ...record, source: 'store' })),
              },
              now,
            ),
          );
          const shown = items.filter((item) => (name === 'overdue' ? item.due < today : item.due <= horizon));
          if (options.format === 'json') await writeOutput(JSON.stringify(shown, null, 2), {});
          else if (shown.length === 0)
            await writeOutput(
              name === 'overdue' ? 'nothing is overdue' : `nothing is due within ${options.within} days`,
              {},
            );
          else
            await writeOutput(
              shown
                .map(
                  (item) =>
                    `${item.due < today ? `overdue since ${item.due}` : `due ${item.due}`.padEnd(24)}  ${item.what}  [${item.about}]`,
                )
                .join('\n'),
              {},
            );
          return name === 'overdue' && shown.length > 0 ? exitCodes.findings : exitCodes.ok;
        }),
      );
  dueCommand('due');
  dueCommand('overdue');

  records
    .command('verify')
    .description(
      'check every stored record and roster row against the ledger, signatures and evidence hashes (exit 1 on any problem)',
    )
    .option(...dbOption)
    .action(
      action(async (options: { db?: string }) => {
        const result = await withCommandStore(options.db, async (store) => {
          const checked = await verifyRecords(store);
          return {
            records: checked.records,
            problems: [...checked.problems, ...(await verifyPeople(store))],
          };
        });
        if (result.problems.length > 0) {
          printStdout(
            `rejected  ${result.problems.length} problem(s):\n${result.problems.map((problem) => `  ${problem}`).join('\n')}\n`,
          );
          return exitCodes.findings;
        }
        printStdout(
          `verified  ${result.records} records against the ledger, their signatures and evidence\n`,
        );
        return exitCodes.ok;
      }),
    );

  records
    .command('export')
    .description(
      'write every record as one canonical bundle (--out), or into a repository records/ folder (--dir, with --key to sign the roster)',
    )
    .option('--out <file>', 'bundle file (default: stdout)')
    .option('--dir <folder>', 'repository root to write records/ into')
    .option('--key <file>', 'PEM private key signing the roster (with --dir)')
    .option(...dbOption)
    .action(
      action(async (options: { out?: string; dir?: string; key?: string; db?: string }) => {
        if (options.dir !== undefined) {
          if (options.key === undefined)
            throw new UsageError('USAGE_MISSING_ARGUMENT', '--dir needs --key to sign the roster');
          const signer = await asUsage(() => loadSigner(options.key as string));
          const written = await withCommandStore(options.db, (store) =>
            exportFolder(store, options.dir as string, signer),
          );
          printStdout(`wrote ${written.files} files under ${options.dir}/records\n`);
          return exitCodes.ok;
        }
        const text = await withCommandStore(options.db, (store) => exportBundle(store));
        await writeOutput(text, options.out === undefined ? {} : { out: options.out });
        if (options.out !== undefined) writeDiagnostic(`sha256:${bundleDigest(text)}\n`);
        return exitCodes.ok;
      }),
    );

  records
    .command('import-bundle')
    .description(
      'import a bundle written by records export (signers, roster and records, through the ledger)',
    )
    .argument('<file>', 'bundle file')
    .option(...dbOption)
    .action(
      action(async (file: string, options: { db?: string }) => {
        const text = await readBoundedFile(file);
        const result = await withCommandStore(options.db, (store) =>
          importBundle(store, text.trimEnd(), file),
        );
        printStdout(`imported ${result.people} people and ${result.records} records\n`);
        return exitCodes.ok;
      }),
    );

  const signer = records.command('signer').description('register who may sign records');
  signer
    .command('add')
    .description('register a public key to a roster person (through the ledger)')
    .requiredOption('--person <id>', 'roster person id')
    .requiredOption('--public-key <file>', 'SPKI PEM public key (shipguard keys generate)')
    .option(...dbOption)
    .action(
      action(async (options: { person: string; publicKey: string; db?: string }) => {
        const publicKey = await readBoundedFile(options.publicKey);
        const keyId = await withCommandStore(options.db, async (store) => {
          if (!(await listPeople(store)).some((person) => person.id === options.person))
            throw new RecordError('RECORD_INVALID', `${options.person} is not on the roster`);
          return registerSigner(store, { person: options.person, publicKey });
        });
        printStdout(`registered key ${keyId} to ${options.person}\n`);
        return exitCodes.ok;
      }),
    );
}
