import type { Command } from 'commander';
import {
  type ControlsView,
  controlsFormats,
  frameworks,
  loadCatalog,
  renderCatalog,
} from '../../catalog/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { writeOutput } from '../output.js';

/** The options as commander hands them over: unchecked strings. */
export interface RawControlsOptions {
  framework?: string;
  format?: string;
  out?: string;
}

export interface ControlsOptions {
  view: ControlsView;
  out?: string;
}

export function registerControlsCommand(program: Command): void {
  program
    .command('controls')
    .description('list the controls of the catalog, how each is assessed, and framework coverage')
    .option(
      '--framework <name>',
      `group by one framework's items and show its gaps: ${frameworks.join(', ')}`,
    )
    .option('-f, --format <format>', `output format: ${controlsFormats.join(', ')}`, 'table')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  shipguard controls                          every control, how it is assessed, its mappings
  shipguard controls --framework iso27001     Annex A controls, the controls serving each, gaps
  shipguard controls --format json -o c.json  the catalog as JSON (see docs/controls.md)`,
    )
    .action(
      action(async (raw: RawControlsOptions) => {
        const options = parseControlsOptions(raw);
        const text = renderCatalog(loadCatalog(), options.view);
        await writeOutput(text, options.out === undefined ? {} : { out: options.out });
        return exitCodes.ok;
      }),
    );
}

/** Checks the option values; a wrong one is a UsageError (exit 2) that lists the valid values. */
export function parseControlsOptions(raw: RawControlsOptions): ControlsOptions {
  const format = raw.format ?? 'table';
  if (!isOneOf(controlsFormats, format)) throw invalidOption('--format', format, controlsFormats);
  const view: ControlsView = { format };
  if (raw.framework !== undefined) {
    if (!isOneOf(frameworks, raw.framework)) throw invalidOption('--framework', raw.framework, frameworks);
    view.framework = raw.framework;
  }
  return raw.out === undefined ? { view } : { view, out: raw.out };
}

function isOneOf<Value extends string>(values: readonly Value[], value: string): value is Value {
  return (values as readonly string[]).includes(value);
}

function invalidOption(option: string, value: string, valid: readonly string[]): UsageError {
  return new UsageError(
    'USAGE_INVALID_OPTION',
    `${option} must be one of ${valid.join(', ')} (got ${JSON.stringify(value.slice(0, 40))})`,
  );
}
