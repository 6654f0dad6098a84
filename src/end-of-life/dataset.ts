import { ShipguardError } from '../kernel/index.js';
import rawDataset from './dataset.json' with { type: 'json' };
import { EndOfLifeDataset } from './schema.js';

export type EndOfLifeErrorCode = 'END_OF_LIFE_DATASET_INVALID';

export class EndOfLifeError extends ShipguardError<EndOfLifeErrorCode> {}

/** Validates a dataset; the bundled one is checked on load so a bad edit fails loudly, not quietly. */
export function parseEndOfLifeDataset(
  value: unknown,
  path = 'src/end-of-life/dataset.json',
): EndOfLifeDataset {
  const result = EndOfLifeDataset.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new EndOfLifeError(
      'END_OF_LIFE_DATASET_INVALID',
      `the end-of-life dataset is invalid at ${where || 'its root'}: ${issue?.message ?? 'unknown problem'}`,
      { cause: result.error, location: { path } },
    );
  }
  return result.data;
}

/** The end-of-life dates shipguard ships with; see dataset.json for `asOf` and `source`. */
export const endOfLifeDataset: EndOfLifeDataset = parseEndOfLifeDataset(rawDataset);
