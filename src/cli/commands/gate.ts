import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { type GateRun, ledgerAppend, resolveDeployer, runGate } from '../../gate/index.js';
import { loadPolicy } from '../../policy/index.js';
import { resolveRepositoryRoot } from '../../store/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { writeOutput } from '../output.js';
import { openCommandStore } from '../store-access.js';

const formats = ['table', 'json'] as const;

interface GateOptions {
  artifact: string;
  env: string;
  attestation?: string;
  key: string[];
  change?: string;
  sbom?: string;
  vex: string[];
  at?: string;
  deployer?: string;
  db?: string;
  policy?: string;
  repository: string;
  format: (typeof formats)[number];
  out?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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
  program
    .command('gate')
    .description('decide whether an artefact may be deployed to an environment, with a reason for every rule')
    .requiredOption('--artifact <file|sha256:…>', 'the artefact, or its digest as sha256:<hex>')
    .requiredOption(
      '--env <name>',
      'the target environment (its rules come from shipguard.yaml gate.environments)',
    )
    .option('--attestation <file>', 'DSSE envelope with the SLSA provenance (from shipguard attest)')
    .option('--key <file>', 'PEM public key trusted to sign provenance (repeatable)', collect, [])
    .option('--change <id>', 'the change record this deployment implements')
    .option(
      '--sbom <file>',
      'CycloneDX or SPDX JSON SBOM of the artefact (also the package list for vulnerabilities)',
    )
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document (repeatable)', collect, [])
    .option('--at <time>', 'decide as of this ISO-8601 time with offset (default: now)')
    .option('--deployer <name>', 'who deploys (default: $GITHUB_ACTOR, $GITLAB_USER_LOGIN, else the OS user)')
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option('--policy <file>', 'policy file (default: shipguard.yaml at the repository root)')
    .option('-C, --repository <path>', 'the repository of the released source', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `
Exit codes: 0 allow, 1 deny, 3 error (an error is always a deny), 2 usage.
Every decision is appended to the ledger; if that fails the decision is a deny (exit 3).

Examples:
  shipguard gate --artifact dist/app.tgz --env production --attestation app.intoto.json --key release.pub --change CHG-42
  shipguard gate --artifact sha256:3f… --env staging --attestation app.intoto.json --key release.pub --format json`,
    )
    .action(
      action(async (options: GateOptions) => {
        const at = parseAt(options.at);
        const root = await resolveRepositoryRoot(options.repository);
        const policy = await loadPolicy(root, options.policy);
        const deployer = resolveDeployer(options.deployer, process.env, () => userInfo().username);
        const run = await runGate(
          {
            repositoryRoot: root,
            artifact: options.artifact,
            environment: options.env,
            keys: options.key,
            vex: options.vex,
            at,
            deployer,
            policy,
            ...(options.attestation === undefined ? {} : { attestation: options.attestation }),
            ...(options.change === undefined ? {} : { change: options.change }),
            ...(options.sbom === undefined ? {} : { sbom: options.sbom }),
          },
          { openStore: () => openCommandStore(root, options.db), append: ledgerAppend },
        );
        const text = options.format === 'json' ? renderGateJson(run) : renderGateTable(run);
        await writeOutput(text, options.out === undefined ? {} : { out: options.out });
        return run.exitCode;
      }),
    );
}

export function renderGateJson(run: GateRun): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
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
  const lines = [
    `${decision.result.toUpperCase()}  ${printable(decision.environment)} at ${decision.at} by ${printable(decision.deployer)}`,
    '',
  ];
  const width = Math.max(...decision.rules.map((rule) => rule.id.length), 4);
  for (const rule of decision.rules) {
    lines.push(`${rule.outcome.padEnd(7)}  ${rule.id.padEnd(width)}  ${printable(rule.reason)}`);
  }
  for (const override of decision.overrides) lines.push('', `override  ${printable(override.reason)}`);
  lines.push('');
  if (run.ledgerError) lines.push(`not recorded: ${printable(run.ledgerError)}`);
  else lines.push(`recorded in the ledger at index ${run.ledgerIndex ?? '?'} (decision ${run.decisionId})`);
  return `${lines.join('\n')}\n`;
}

/** Stored and calendar text reaches a terminal: control characters could rewrite the screen. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}
