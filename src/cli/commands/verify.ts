import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  type Expectations,
  loadVerifier,
  ProvenanceError,
  parseEnvelope,
  parsePublicKey,
  type VerificationResult,
  verifyAttestation,
  verifyBundle,
} from '../../provenance/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';

interface VerifyOptions {
  artifact: string;
  attestation?: string;
  bundle?: string;
  key?: string;
  trustedRoot?: string;
  certificateIdentity?: string;
  certificateOidcIssuer?: string;
  sourceUri?: string;
  builderId?: string;
  branch?: string;
  format: string;
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ProvenanceError('FILE_UNREADABLE', `cannot read the ${what} ${path}`, {
      cause: error,
      location: { path },
    });
  }
}

function checkUsage(options: VerifyOptions): void {
  if ((options.attestation === undefined) === (options.bundle === undefined)) {
    throw new UsageError('USAGE_INVALID_OPTION', 'give exactly one of --attestation or --bundle');
  }
  if (options.attestation !== undefined && options.key === undefined) {
    throw new UsageError('USAGE_MISSING_ARGUMENT', '--attestation needs --key (the public key)');
  }
  if ((options.certificateIdentity === undefined) !== (options.certificateOidcIssuer === undefined)) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      'give --certificate-identity and --certificate-oidc-issuer together',
    );
  }
  if (options.format !== 'table' && options.format !== 'json') {
    throw new UsageError('USAGE_INVALID_OPTION', '--format must be table or json');
  }
}

async function runVerification(options: VerifyOptions): Promise<VerificationResult> {
  const artifact = await readInput(options.artifact, 'artefact');
  const expected: Expectations = {};
  if (options.sourceUri !== undefined) expected.sourceUri = options.sourceUri;
  if (options.builderId !== undefined) expected.builderId = options.builderId;
  if (options.branch !== undefined) expected.branch = options.branch;
  if (options.attestation !== undefined && options.key !== undefined) {
    const text = (await readInput(options.attestation, 'attestation')).toString('utf8');
    const envelope = parseEnvelope(text, options.attestation);
    return verifyAttestation({ artifact, envelope, verifiers: [await loadVerifier(options.key)], expected });
  }
  const bundlePath = options.bundle ?? '';
  const input: Parameters<typeof verifyBundle>[0] = {
    bundleText: (await readInput(bundlePath, 'bundle')).toString('utf8'),
    artifact,
    expected,
  };
  // Without --trusted-root: the Sigstore public-good root embedded in @sigstore/tuf, offline.
  if (options.trustedRoot !== undefined)
    input.trustedRootText = (await readInput(options.trustedRoot, 'trusted root')).toString('utf8');
  if (options.key !== undefined)
    input.publicKey = parsePublicKey((await readInput(options.key, 'key')).toString('utf8'), options.key);
  if (options.certificateIdentity !== undefined) input.identity = options.certificateIdentity;
  if (options.certificateOidcIssuer !== undefined) input.issuer = options.certificateOidcIssuer;
  return verifyBundle(input);
}

function renderTable(result: VerificationResult): string {
  const lines = [`verified  sha256:${result.artifact.sha256}${result.subject ? ` (${result.subject})` : ''}`];
  if (result.signer.keyIds) lines.push(`key       ${result.signer.keyIds.join(', ')}`);
  if (result.signer.identity)
    lines.push(`identity  ${result.signer.identity} (${result.signer.issuer ?? 'no issuer'})`);
  if (result.source?.repository)
    lines.push(
      `source    ${result.source.repository} ${result.source.ref ?? ''} ${result.source.commit ?? ''}`.trimEnd(),
    );
  if (result.builderId) lines.push(`builder   ${result.builderId}`);
  if (result.trustedRoot) {
    const { kind, source, sha256 } = result.trustedRoot;
    const name = kind === 'public-good' ? `Sigstore public-good (${source ?? 'embedded'})` : 'given';
    lines.push(`root      ${name} sha256:${sha256}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('verify an artefact against signed provenance (DSSE envelope) or a Sigstore bundle, offline')
    .requiredOption('--artifact <file>', 'the artefact to verify')
    .option('--attestation <file>', 'a DSSE envelope from shipguard attest')
    .option('--bundle <file>', 'a Sigstore bundle (v0.1-v0.3)')
    .option('--key <file>', 'PEM public key (for --attestation, or a managed-key bundle)')
    .option(
      '--trusted-root <file>',
      'Sigstore trusted_root.json (for --bundle; default: the Sigstore public-good root shipped with shipguard)',
    )
    .option('--certificate-identity <id>', 'expected certificate identity (subject alternative name)')
    .option('--certificate-oidc-issuer <url>', 'expected OIDC issuer of the certificate')
    .option('--source-uri <uri>', 'expected source repository, e.g. github.com/org/repo')
    .option('--builder-id <id>', 'expected builder id')
    .option('--branch <name>', 'expected branch (or full ref)')
    .option('--format <format>', 'table | json', 'table')
    .action(
      action(async (options: VerifyOptions) => {
        checkUsage(options);
        let result: VerificationResult;
        try {
          result = await runVerification(options);
        } catch (error) {
          if (!(error instanceof ProvenanceError)) throw error;
          // A rejection: exit 1 with the reason code, on stdout in the requested format.
          if (options.format === 'json') {
            process.stdout.write(
              `${JSON.stringify({ verified: false, code: error.code, reason: error.message })}\n`,
            );
          } else {
            process.stdout.write(`rejected  ${error.code}: ${error.message}\n`);
          }
          return exitCodes.findings;
        }
        process.stdout.write(
          options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderTable(result),
        );
        return exitCodes.ok;
      }),
    );
}
