/**
 * Package ecosystems: each folder under src/ecosystems/ knows one ecosystem's files, versions
 * and extractor (see registry.ts for the map). This file only declares the public surface.
 */

export type { LockfileIntegrity, LockfilesFacts, LockState, ManifestLock } from './lock-state.js';
export { readLockState } from './lock-state.js';
export {
  findManifests,
  type Manifest,
  type ManifestEcosystem,
  manifestNames,
  skippedFolders,
} from './manifests.js';
export type { ModificationKind, ModifiedPackage, ModifiedPackagesFacts } from './modified-packages.js';
export { findModifiedPackages } from './modified-packages.js';
export { compareSemver, compareSemverLike } from './npm/index.js';
export type { ProjectIdentity } from './project-identity.js';
export { readProjectIdentity } from './project-identity.js';
export { parsePurl } from './purl.js';
export { normalizePypiName } from './pypi/index.js';
export {
  ecosystemForLockfile,
  ecosystems,
  frameworkOf,
  lockfileNamesOf,
  unreadLockfileEcosystem,
  versionOrderFor,
} from './registry.js';
export type {
  RegistryEcosystem,
  RegistrySource,
  RegistrySourcesFacts,
  UnresolvedSource,
} from './registry-sources.js';
export { hostAllowed, hostOf, publicRegistryHosts, readRegistrySources } from './registry-sources.js';
export type { LockfileSummary, ScanResult, ScanScope } from './scan.js';
export { lockfileExclusion, scanRepository, scanRepositoryOnce, unlockedManifests } from './scan.js';
export type {
  CompareVersions,
  EcosystemModule,
  Framework,
  LockedPackage,
  OsvEcosystem,
  PackageScope,
} from './types.js';
export { osvEcosystems } from './types.js';
