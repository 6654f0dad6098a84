export type { ReviewAnalysis } from './analysis.js';
export { analyseReview } from './analysis.js';
export type { ClassifiedChange } from './classify.js';
export { classifyChange, findRequestReference, isoDate, reviewEvidenceLevel } from './classify.js';
export { rootFolder } from './codeowners/coverage.js';
export type { CodeownersFacts, CodeownersFile } from './codeowners/read.js';
export { codeownersLocations, readCodeowners } from './codeowners/read.js';
export { parseCommit } from './commit.js';
export { resolveDefaultBranch } from './default-branch.js';
export type { DeployedChange, Deployment } from './deployments.js';
export { readDeployments, toDeployment } from './deployments.js';
export { SourceControlError } from './errors.js';
export { StoreForgeCache } from './forges/store-cache.js';
export type { Change, HistoryWindow } from './history.js';
export { historyGap } from './history.js';
export { describePerson, samePerson } from './identity.js';
export { reviewReleasedCommit } from './released-commit.js';
export type { ReleaseReview, ReleasesReview, ReleaseTag } from './releases.js';
export { isReleaseBranch, isReleaseTag, listReleaseTags } from './releases.js';
export {
  identifyFolder,
  identifyRepository,
  normaliseRemoteUrl,
  normaliseSubfolder,
  type RepositoryIdentity,
  withSubfolder,
} from './repository-identity.js';
export type { ReviewFacts, ReviewStore, SnapshotContext } from './snapshot.js';
export {
  allowedSignersPath,
  analyseSnapshot,
  deploymentsFromStore,
  forgeFromPolicy,
} from './snapshot.js';
export { parseTrailers } from './trailers.js';
