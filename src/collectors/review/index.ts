import type { Collector } from '../types.js';
import {
  reviewCoverage,
  reviewNoDirectPushes,
  reviewReleasesReviewed,
  reviewSensitivePathsOwned,
  reviewSeparationOfDuties,
} from './checks.js';
import { collectReview, type ReviewFacts } from './collect.js';

export const reviewCollector: Collector<ReviewFacts> = {
  id: 'review',
  title: 'Peer review of changes on the default branch',
  collect: collectReview,
  checks: [
    reviewCoverage,
    reviewNoDirectPushes,
    reviewSeparationOfDuties,
    reviewSensitivePathsOwned,
    reviewReleasesReviewed,
  ],
};
export { unreadableHistory } from './checks.js';
