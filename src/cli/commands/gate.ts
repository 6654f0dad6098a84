import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { type GateRun, ledgerAppend, resolveDeployer, runGate } from '../../gate/index.js';
import type { ActorProofInput } from '../../identity/index.js';
import { escapeForTerminal } from '../../kernel/index.js';
import { identifyFolder } from '../../source-control/index.js';
import { resolveRepositoryRoot } from '../../store/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { readIdToken } from '../id-token.js';
import { writeOutput } from '../output.js';
import { openCommandStore } from '../store-access.js';
import { addUploadOptions, checkUploadUrl, type UploadOptions, uploadIfAsked } from '../upload.js';

const formats = ['table', 'json'] as const;

interface GateOptions extends UploadOptions {
  artifact: string;
  env: string;
  attestation?: string;
  key: string[];
  change?: string;
  sbom?: string;
  vex: string[];
  at?: string;
  deployer?: string;
  deployerKey?: string;
  deployerOidcToken?: string;
  db?: string;
  policy?: string;
  dryRun?: boolean;
  protectedRef?: string;
  repository: string;
  format: (typeof formats)[number];
  out?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * What-if inputs replace what a real decision reads from the protected policy and the clock, so
 * they exist only under --dry-run (never a decision, never exit 0).
 */
export function whatIfInputs(options: Pick<GateOptions, 'dryRun' | 'at' | 'policy' | 'key'>):
  | {
      at?: Date;
      policyFile?: string;
      keys?: string[];
    }
  | undefined {
  const given = [
    options.at === undefined ? undefined : '--at',
    options.policy === undefined ? undefined : '--policy',
    options.key.length === 0 ? undefined : '--key',
  ].filter((name) => name !== undefined);
  if (!options.dryRun) {
    if (given.length > 0) {
      throw new UsageError(
        'USAGE_INVALID_OPTION',
        `${given.join(', ')} ${given.length === 1 ? 'is a what-if input' : 'are what-if inputs'}: only with --dry-run (a real decision reads the policy and keys from the protected branch, and the time from the clock)`,
      );
    }
    return undefined;
  }
  return {
    ...(options.at === undefined ? {} : { at: parseAt(options.at) }),
    ...(options.policy === undefined ? {} : { policyFile: options.policy }),
    ...(options.key.length === 0 ? {} : { keys: options.key }),
  };
}

/** `--at` must say its offset (or Z): a time without a zone is ambiguous around freezes. */
export function parseAt(text: string | undefined, now: () => Date = () => new Date()): Date {
  if (text === undefined) return now();
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const time = Date.parse(text);
  if (!zoned || Number.isNaN(time)) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `--at must be an ISO-8601 time with an offset, e.g. 2026-06-12T15:00:00+01:00 (got "${text.slice(0, 60)}")`,
    );
  }
  return new Date(time);
}

export function registerGateCommand(program: Command): void {
  const command = program
    .command('gate')
    .description('decide whether an artefact may be deployed to an environment, with a reason for every rule')
    .requiredOption('--artifact <file|sha256:…>', 'the artefact, or its digest as sha256:<hex>')
    .requiredOption(
      '--env <name>',
      'the target environment (its rules come from shipguard.yaml gate.environments)',
    )
    .option('--attestation <file>', 'DSSE envelope with the SLSA provenance (from shipguard attest)')
    .option(
      '--key <file>',
      'what-if (--dry-run only): also trust this PEM public key (repeatable)',
      collect,
      [],
    )
    .option('--change <id>', 'the change record this deployment implements')
    .option(
      '--sbom <file>',
      'the SBOM the provenance attests (CycloneDX or SPDX JSON; checked against the attested digest)',
    )
    .option(
      '--vex <file>',
      'DSSE envelope holding an OpenVEX or CycloneDX VEX document, signed by a trusted key (repeatable)',
      collect,
      [],
    )
    .option('--at <time>', 'what-if (--dry-run only): evaluate as of this ISO-8601 time with offset')
    .option(
      '--deployer <name>',
      'who deploys, for display only (default: $GITHUB_ACTOR, $GITLAB_USER_LOGIN, else the OS user)',
    )
    .option(
      '--deployer-key <file>',
      "proves who deploys: the deployer's signing key, registered on the protected branch",
    )
    .option(
      '--deployer-oidc-token <file|->',
      "proves who deploys: the CI workload's OIDC ID token for this environment, or - for stdin",
    )
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option('--policy <file>', 'what-if (--dry-run only): evaluate with this policy file instead')
    .option(
      '--protected-ref <ref>',
      'the protected branch whose shipguard.yaml applies (default: the target of refs/remotes/origin/HEAD)',
    )
    .option('--dry-run', 'evaluate what-if inputs; ledgered as a what-if, never a decision, never exit 0')
    .option('-C, --repository <path>', 'the repository of the released source', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'))
    .option('-o, --out <file>', 'write to a file instead of stdout');
  addUploadOptions(command, 'gate decision (as --format json writes it; never a dry run)')
    .addHelpText(
      'after',
      `
Exit codes: 0 allow, 1 deny, 3 error (an error is always a deny), 2 usage,
4 a dry run that would allow (a dry run is never a decision and never exits 0).
The policy, trusted keys and calendars are read from the protected branch (origin/HEAD or
--protected-ref), never from the working tree. Every run is appended to the ledger; if that
fails the decision is a deny (exit 3).

Examples:
  shipguard gate --artifact dist/app.tgz --env production --attestation app.intoto.json --sbom sbom.cdx.json --change CHG-42
  shipguard gate --artifact sha256:3f… --env staging --attestation app.intoto.json --format json
  shipguard gate --dry-run --policy draft.yaml --at 2026-06-12T15:30:00+01:00 --artifact dist/app.tgz --env production --attestation app.intoto.json`,
    )
    .action(
      action(async (options: GateOptions) => {
        if (options.upload !== undefined) checkUploadUrl(options.upload);
        const whatIf = whatIfInputs(options);
        const root = await resolveRepositoryRoot(options.repository);
        const deployer = resolveDeployer(options.deployer, process.env, () => userInfo().username);
        const deployerProof = await deployerProofOf(options);
        const run = await runGate(
          {
            repositoryRoot: root,
            artifact: options.artifact,
            environment: options.env,
            vex: options.vex,
            now: new Date(),
            deployer,
            ...(deployerProof === undefined ? {} : { deployerProof }),
            ...(whatIf === undefined ? {} : { whatIf }),
            ...(options.protectedRef === undefined ? {} : { protectedRef: options.protectedRef }),
            ...(options.attestation === undefined ? {} : { attestation: options.attestation }),
            ...(options.change === undefined ? {} : { change: options.change }),
            ...(options.sbom === undefined ? {} : { sbom: options.sbom }),
          },
          { openStore: () => openCommandStore(root, options.db), append: ledgerAppend },
        );
        const text = options.format === 'json' ? renderGateJson(run) : renderGateTable(run);
        await writeOutput(text, options.out === undefined ? {} : { out: options.out });
        if (options.upload !== undefined && !run.dryRun) {
          // A decision the server did not record is an error (exit 1 or 3), so a deploy step stops.
          const identity = await identifyFolder(root);
          await uploadIfAsked(
            options,
            {
              endpoint: '/api/v1/gate-decisions',
              body: renderGateJson(run),
              mediaType: 'application/json',
              what: 'gate decision',
              ...(identity.source === 'remote' ? { repository: identity.key } : {}),
            },
            process.env,
          );
        }
        return run.exitCode;
      }),
    );
}

/** At most one proof of who deploys; none leaves the deployer declared (which production denies). */
async function deployerProofOf(options: GateOptions): Promise<ActorProofInput | undefined> {
  if (options.deployerKey !== undefined && options.deployerOidcToken !== undefined) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      'give one of --deployer-key or --deployer-oidc-token, not both',
    );
  }
  if (options.deployerKey !== undefined) return { keyFile: options.deployerKey };
  if (options.deployerOidcToken !== undefined) return { token: await readIdToken(options.deployerOidcToken) };
  return undefined;
}

export function renderGateJson(run: GateRun): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      ...(run.dryRun ? { dryRun: true, note: 'DRY RUN: a what-if, not a decision' } : {}),
      decisionId: run.decisionId,
      ...run.decision,
      inputs: run.inputDigests,
      ledgerIndex: run.ledgerIndex ?? null,
      ...(run.ledgerError ? { ledgerError: run.ledgerError } : {}),
      exitCode: run.exitCode,
    },
    null,
    2,
  )}\n`;
}

export function renderGateTable(run: GateRun): string {
  const { decision } = run;
  const verdict = run.dryRun
    ? `DRY RUN (what-if, not a decision): would ${decision.result}`
    : decision.result.toUpperCase();
  const lines = [
    `${verdict}  ${printable(decision.environment)} at ${decision.at} by ${printable(decision.deployer)}`,
    `policy: ${printable(decision.policy)}`,
    '',
  ];
  const width = Math.max(...decision.rules.map((rule) => rule.id.length), 4);
  for (const rule of decision.rules) {
    lines.push(`${rule.outcome.padEnd(7)}  ${rule.id.padEnd(width)}  ${printable(rule.reason)}`);
  }
  for (const override of decision.overrides) lines.push('', `override  ${printable(override.reason)}`);
  lines.push('');
  if (run.ledgerError) lines.push(`not recorded: ${printable(run.ledgerError)}`);
  else if (run.dryRun)
    lines.push(
      `recorded in the ledger as a what-if at index ${run.ledgerIndex ?? '?'} (run ${run.decisionId})`,
    );
  else lines.push(`recorded in the ledger at index ${run.ledgerIndex ?? '?'} (decision ${run.decisionId})`);
  // Every line may quote repository text: escaped so it cannot forge a line or move the cursor.
  return `${lines.map(escapeForTerminal).join('\n')}\n`;
}

/** Stored and calendar text reaches a terminal: control characters could rewrite the screen. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}
