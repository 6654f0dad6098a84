import { accessReview } from './access-review.js';
import { alertTriage } from './alert-triage.js';
import { asset } from './asset.js';
import { attestation } from './attestation.js';
import { backupRestoreTest } from './backup-restore-test.js';
import { dataProtectionAssessment } from './data-protection-assessment.js';
import { escrow } from './escrow.js';
import { managementReview } from './management-review.js';
import { penTest } from './pen-test.js';
import { policyAcknowledgement } from './policy-acknowledgement.js';
import { policyVersion } from './policy-version.js';
import { remediationOversight } from './remediation-oversight.js';
import { remediationPlan } from './remediation-plan.js';
import { riskAssessment } from './risk-assessment.js';
import { securityReview } from './security-review.js';
import { supplierReview } from './supplier-review.js';
import { threatModel } from './threat-model.js';
import { training } from './training.js';
import type { RecordKind } from './types.js';

export { requiredPenTestScope } from './pen-test.js';
export type { RecordKind } from './types.js';

/** Every record kind, by name: one file each in this folder (a test compares the two). */
export const recordKinds: Readonly<Record<string, RecordKind>> = {
  training: training as RecordKind,
  'policy-version': policyVersion as RecordKind,
  'policy-acknowledgement': policyAcknowledgement as RecordKind,
  'management-review': managementReview as RecordKind,
  'pen-test': penTest as RecordKind,
  'remediation-plan': remediationPlan as RecordKind,
  'remediation-oversight': remediationOversight as RecordKind,
  'threat-model': threatModel as RecordKind,
  'risk-assessment': riskAssessment as RecordKind,
  'data-protection-assessment': dataProtectionAssessment as RecordKind,
  asset: asset as RecordKind,
  'supplier-review': supplierReview as RecordKind,
  'access-review': accessReview as RecordKind,
  'alert-triage': alertTriage as RecordKind,
  'backup-restore-test': backupRestoreTest as RecordKind,
  'security-review': securityReview as RecordKind,
  attestation: attestation as RecordKind,
  escrow: escrow as RecordKind,
};
