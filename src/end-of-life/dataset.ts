import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';
import rawDataset from './dataset.json' with { type: 'json' };
import { EndOfLifeDataset } from './schema.js';

export type EndOfLifeErrorCode = 'END_OF_LIFE_DATASET_INVALID';

/** The kind of each code, which decides the exit code. */
const endOfLifeErrorKinds: ErrorKinds<EndOfLifeErrorCode> = {
  END_OF_LIFE_DATASET_INVALID: 'internal',
};

export class EndOfLifeError extends errorWithKinds(endOfLifeErrorKinds) {}

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

/**
 * The end-of-life dates shipguard ships with; see dataset.json for `asOf` and `source`. The file
 * is generated (`npm run update:eol`) and its tests check it parses to itself, so it is not
 * validated again at every start (that cost every command about 100 ms).
 */
export const endOfLifeDataset = rawDataset as unknown as EndOfLifeDataset;

/** The shipped file, parsed: for the test that holds it valid. */
export function validatedShippedDataset(): EndOfLifeDataset {
  return parseEndOfLifeDataset(rawDataset);
}
