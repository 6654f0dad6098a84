import type { Command } from 'commander';
import { generateKeyPair, type KeyType, keyTypes, ProvenanceError } from '../../provenance/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';

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
        let pair: Awaited<ReturnType<typeof generateKeyPair>>;
        try {
          pair = await generateKeyPair(options.type, options.outDir, options.name);
        } catch (error) {
          if (
            error instanceof ProvenanceError &&
            (error.code === 'KEY_EXISTS' || error.code === 'KEY_INVALID')
          ) {
            throw new UsageError('USAGE_INVALID_OPTION', error.message, { cause: error });
          }
          throw error;
        }
        if (!globalOptions(command).quiet) {
          process.stderr.write(
            `wrote ${pair.privateKeyPath} (private, keep it secret) and ${pair.publicKeyPath}\n`,
          );
        }
        process.stdout.write(
          `${JSON.stringify({ keyType: pair.keyType, keyId: pair.keyId, privateKey: pair.privateKeyPath, publicKey: pair.publicKeyPath })}\n`,
        );
        return exitCodes.ok;
      }),
    );
}
