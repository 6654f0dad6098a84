import type { Command } from 'commander';
import { generateKeyPair, type KeyType, keyTypes } from '../../provenance/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printStdout, writeDiagnostic } from '../output.js';

interface GenerateOptions {
  type: string;
  outDir: string;
  name: string;
}

function isKeyType(value: string): value is KeyType {
  return (keyTypes as readonly string[]).includes(value);
}

export function registerKeysCommand(program: Command): void {
  const keys = program
    .command('keys')
    .description('create signing keys for attestations and ledger checkpoints');
  keys
    .command('generate')
    .description('write a PKCS#8 private key (mode 0600) and its SPKI public key; never overwrites')
    .requiredOption('--type <type>', `key type: ${keyTypes.join(' | ')}`)
    .option('--out-dir <dir>', 'folder to write the key files into', '.')
    .option('--name <name>', 'file name stem: <name>.key and <name>.pub', 'shipguard')
    .action(
      action(async (options: GenerateOptions, command: Command) => {
        if (!isKeyType(options.type)) {
          throw new UsageError('USAGE_INVALID_OPTION', `--type must be one of ${keyTypes.join(', ')}`);
        }
        // An existing key or a bad name is the user's to fix: its code says exit 2.
        const pair = await generateKeyPair(options.type, options.outDir, options.name);
        if (!globalOptions(command).quiet) {
          writeDiagnostic(
            `wrote ${pair.privateKeyPath} (private, keep it secret) and ${pair.publicKeyPath}\n`,
          );
        }
        // `keyFile`, not `privateKey`: output passes the redaction boundary, which takes any value
        // after a name like "privateKey" for a secret, and this is only where the key was written.
        printStdout(
          `${JSON.stringify({ keyType: pair.keyType, keyId: pair.keyId, keyFile: pair.privateKeyPath, publicKeyFile: pair.publicKeyPath })}\n`,
        );
        return exitCodes.ok;
      }),
    );
}
