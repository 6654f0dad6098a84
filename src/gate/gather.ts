/**
 * The gate's facts, composed from the domains' own functions (the same ones `shipguard secrets`,
 * `verify`, `vulns` and `review` call), so the gate and those commands judge an input alike.
 * Rules, keys, calendars and secret-scanning settings come from the protected policy's commit;
 * the SBOM and VEX only count when something signed vouches for them (bound-inputs.ts).
 *
 * Fail secure: a fact that cannot be had is `{ ok: false, error }`; a GateError whose code says
 * the evidence is absent (not broken) is `missing`, a fail rather than an error.
 */

import { loadPrincipalRegistry } from '../identity/index.js';
import { loadVerifier } from '../provenance/index.js';
import { readSecretsConfigAt } from '../secrets/index.js';
import { reviewReleasedCommit } from '../source-control/index.js';
import type { Store } from '../store/index.js';
import {
  attestedSboms,
  type BoundSbom,
  bindSbom,
  readBounded,
  readSignedVex,
  verifiersFrom,
} from './bound-inputs.js';
import type { ChangeFact, DeployerProof, Fact, GateInputs, VulnerabilityFact } from './decide.js';
import { proveDeployer } from './deployer.js';
import { type ArtifactFact, attempt } from './fact.js';
import {
  type ProvenanceReading,
  provenanceFact,
  readAssessment,
  readCalendars,
  readProvenance,
  readReleasedSecrets,
  readVulnerabilities,
} from './fact-readers.js';
import { withProtectedFile } from './protected-file.js';
import { describePolicyOrigin, type PolicySource } from './protected-policy.js';
import { environmentOf, type GateRunOptions } from './run-options.js';
import { readVerifiedChange } from './verified-change.js';

/** A key file or an allowed-signers file is small; a larger one is not what the policy meant. */
const registryFileBytes = 1024 * 1024;

export async function gatherInputs(
  options: GateRunOptions,
  source: PolicySource,
  artifact: Fact<ArtifactFact>,
  store: Fact<Store>,
): Promise<GateInputs> {
  const root = options.repositoryRoot;
  const policy = source.loaded.policy;
  const environment = environmentOf(source, options.environment);
  const { settings } = environment;
  const at = options.whatIf?.at ?? options.now;
  const trusted = async (paths: readonly string[]) =>
    verifiersFrom(
      await Promise.all(paths.map(async (path) => ({ path, pem: await source.readFile(path, 64 * 1024) }))),
    );
  const fromStore = <T>(read: (store: Store) => Promise<T>): Promise<Fact<T>> =>
    store.ok
      ? attempt(() => read(store.value))
      : Promise.resolve({ ok: false, error: `the store is unavailable: ${store.error}` });

  const protectedHead = source.origin.kind === 'protected-ref' ? source.origin.commit : 'HEAD';
  const allowedSigners = policy.review.allowedSignersFile ?? policy.principals.allowedSigners;
  // The principals registered on the protected branch: who may approve, who may deploy.
  const registry = early(
    loadPrincipalRegistry(root, policy.principals, protectedHead, (path) =>
      source.readFile(path, registryFileBytes),
    ),
  );
  // Started at once, not waiting for the provenance; each failure is reported where it is used.
  const calendar = attempt(() => readCalendars(source, settings, at));
  const provenanceKeys = early(trusted(settings.trustedKeys));
  const secretsConfig = early(readSecretsConfigAt(root, protectedHead, source.revisionFiles?.read));
  // Read with the keys, in the same batch; ssh-keygen gets it as a file when the review is checked.
  const allowedSignersBytes =
    allowedSigners === undefined ? undefined : early(source.readFile(allowedSigners, registryFileBytes));
  const sbomFile = options.sbom;
  const sbomBytes = sbomFile === undefined ? undefined : early(readBounded(sbomFile));
  const reading: Fact<ProvenanceReading | undefined> = !artifact.ok
    ? { ok: false, error: `the artefact could not be read: ${artifact.error}` }
    : await attempt(async () =>
        options.attestation === undefined
          ? undefined
          : readProvenance({
              attestation: options.attestation,
              artifact: { sha256: artifact.value.sha256 },
              verifiers: [
                ...(await provenanceKeys),
                ...(await Promise.all((options.whatIf?.keys ?? []).map(loadVerifier))),
              ],
              builderId: settings.builderId,
            }),
      );
  const verified =
    reading.ok && reading.value && 'verified' in reading.value ? reading.value.verified : undefined;
  const commit: Fact<string> = !reading.ok
    ? reading
    : verified?.source?.commit
      ? { ok: true, value: verified.source.commit }
      : { ok: false, error: 'no verified provenance names the source commit', missing: true };
  const withCommit = <T>(read: (commit: string) => Promise<T>): Promise<Fact<T>> =>
    commit.ok ? attempt(() => read(commit.value)) : Promise.resolve(commit);
  const sbom: Fact<BoundSbom> = !verified
    ? { ok: false, error: 'no verified provenance attests an SBOM', missing: true }
    : await attempt(async () => {
        const bytes = await sbomBytes;
        return bindSbom(attestedSboms(verified), bytes && sbomFile ? { path: sbomFile, bytes } : undefined);
      });

  const [review, secrets, assessment, vulnerabilities] = await Promise.all([
    withCommit((id) =>
      // Review counts as verified only through a merge signature the protected signers allow.
      withProtectedFile(allowedSignersBytes, (file) =>
        reviewReleasedCommit(root, id, protectedHead, file === undefined ? {} : { allowedSignersFile: file }),
      ),
    ),
    withCommit(async (id) => readReleasedSecrets(root, id, await secretsConfig)),
    commit.ok
      ? fromStore((db) => readAssessment(db, root, commit.value, policy.failOn))
      : Promise.resolve(commit),
    !sbom.ok
      ? Promise.resolve<Fact<VulnerabilityFact[]>>({ ok: false, error: sbom.error, missing: true })
      : fromStore(async (db) => {
          const files = await Promise.all(
            options.vex.map(async (path) => ({ path, bytes: await readBounded(path) })),
          );
          const vex = await readSignedVex(
            files,
            await trusted(settings.vexTrustedKeys ?? settings.trustedKeys),
          );
          return readVulnerabilities({ store: db, packages: sbom.value.packages, vex, policy, at });
        }),
  ]);
  // Verified from the ledger, bound to the released commit and artefact (verified-change.ts).
  const change: Fact<ChangeFact | undefined> =
    options.change === undefined
      ? { ok: true, value: undefined }
      : await fromStore(async (db) =>
          readVerifiedChange(db, source, await registry, {
            changeId: options.change ?? '',
            environment: options.environment,
            ...(commit.ok ? { commit: commit.value } : {}),
            artifact: `sha256:${artifact.ok ? artifact.value.sha256 : 'unreadable'}`,
            releasedAuthors: review.ok ? review.value.authors : [],
            at,
          }),
        );

  const deployerPrincipal: Fact<DeployerProof | undefined> =
    options.deployerProof === undefined
      ? { ok: true, value: undefined }
      : await attempt(async () =>
          proveDeployer(options.deployerProof ?? {}, await registry, {
            environment: options.environment,
            artifact: `sha256:${artifact.ok ? artifact.value.sha256 : 'unreadable'}`,
            at,
          }),
        );

  return {
    policy: { ok: true, value: describePolicyOrigin(source) },
    environment,
    changeSettings: policy.gate.changes,
    at,
    deployer: options.deployer,
    deployerPrincipal,
    artifact: { sha256: artifact.ok ? artifact.value.sha256 : 'unreadable' },
    provenance: reading.ok ? { ok: true, value: provenanceFact(reading.value) } : reading,
    source: review.ok
      ? { ok: true, value: { ...review.value, defaultBranch: policyBranch(source) } }
      : review,
    secrets,
    vulnerabilities,
    sbom: sbom.ok
      ? { ok: true, value: { present: true, source: sbom.value.source } }
      : sbom.missing
        ? { ok: true, value: { present: false, reason: sbom.error } }
        : sbom,
    assessment,
    change,
    calendar: await calendar,
  };
}

/** A read started before it is needed; its failure is reported (with its code) where it is awaited. */
function early<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

function policyBranch(source: PolicySource): string {
  return source.origin.kind === 'protected-ref' ? source.origin.ref : 'HEAD (what-if policy)';
}
