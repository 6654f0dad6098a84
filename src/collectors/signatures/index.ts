import type { ReviewFacts } from '../../source-control/index.js';
import type { Collector } from '../types.js';
import { signaturesSignedChanges } from './checks.js';
import { collectSignatures } from './collect.js';

export const signaturesCollector: Collector<ReviewFacts> = {
  id: 'signatures',
  title: 'Signed commits on the default branch',
  collect: collectSignatures,
  checks: [signaturesSignedChanges],
};
