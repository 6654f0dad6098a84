import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type GateErrorCode =
  /** An environment's time zone is not one the platform knows. */
  | 'GATE_INVALID_TIME_ZONE'
  /** A holiday or leave calendar that cannot be read or parsed. */
  | 'GATE_CALENDAR_INVALID'
  /** `--artifact` is neither a readable file nor `sha256:<64 hex>`. */
  | 'GATE_ARTIFACT_INVALID'
  /** The decision could not be written to the ledger (the decision is then a deny). */
  | 'GATE_LEDGER_WRITE_FAILED'
  /** No protected default branch to read the policy from (no origin/HEAD and no --protected-ref). */
  | 'GATE_NO_PROTECTED_POLICY'
  /** A file the protected policy names (key, calendar) is missing or not a regular file there. */
  | 'GATE_POLICY_FILE_INVALID'
  /** No provenance, or no trusted key to verify it with. */
  | 'GATE_PROVENANCE_MISSING'
  /** The SBOM is not the one the verified provenance attests (absent, or another digest). */
  | 'GATE_SBOM_UNBOUND'
  /** A VEX document not signed by a key trusted for the product. */
  | 'GATE_VEX_UNTRUSTED'
  /** No advisory records for an ecosystem of the artefact, or advisory data too old. */
  | 'GATE_ADVISORIES_UNKNOWN'
  /** The secret scan of the released commit could not read everything. */
  | 'GATE_SECRETS_PARTIAL'
  /** The change named by --change is not in the store. */
  | 'GATE_CHANGE_NOT_FOUND'
  /** A recurring calendar event that cannot be expanded up to the decision time. */
  | 'GATE_CALENDAR_UNBOUNDED';

/** The kind of each code, which decides the exit code. */
const gateErrorKinds: ErrorKinds<GateErrorCode> = {
  GATE_INVALID_TIME_ZONE: 'config',
  GATE_CALENDAR_INVALID: 'config',
  GATE_ARTIFACT_INVALID: 'usage',
  GATE_LEDGER_WRITE_FAILED: 'internal',
  GATE_NO_PROTECTED_POLICY: 'config',
  GATE_POLICY_FILE_INVALID: 'config',
  GATE_CALENDAR_UNBOUNDED: 'config',
  // Evidence that is absent or not vouched for: the gate denies, as for a failed rule.
  GATE_PROVENANCE_MISSING: 'rejected',
  GATE_SBOM_UNBOUND: 'rejected',
  GATE_VEX_UNTRUSTED: 'rejected',
  GATE_ADVISORIES_UNKNOWN: 'rejected',
  GATE_SECRETS_PARTIAL: 'rejected',
  GATE_CHANGE_NOT_FOUND: 'rejected',
};

export class GateError extends errorWithKinds(gateErrorKinds) {}
