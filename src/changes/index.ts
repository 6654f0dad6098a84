export {
  type ChangeSigner,
  type ChangeStatement,
  changeStatement,
  changeStatementType,
  createdContent,
  principalOfSigner,
  proveStatement,
  recordSignedTransition,
  subjectOf,
} from './change-ledger.js';
export {
  type ChangeTransition,
  getChange,
  listChangeRows,
  listChanges,
  listGateDecisions,
  listUnreviewedEmergencies,
  type ProvedTransition,
  recordChange,
  requireChange,
  type StoredGateDecision,
  saveDecisionRow,
} from './change-store.js';
export type { Actor, ChangeApproval, ChangeRecord, ChangeStatus, NewChange } from './changes.js';
export {
  type ApprovalState,
  approvalState,
  approveChange,
  type ChangeClass,
  changeClasses,
  createChange,
  implementChange,
  isReviewOverdue,
  rejectChange,
  reviewChange,
  samePersonName,
  separationIssue,
} from './changes.js';
export { ChangeError } from './errors.js';
export {
  type ApprovalRequest,
  bindingIssue,
  checkChangeProjections,
  consumeApproval,
  consumptionEvent,
  findVerifiedApproval,
  type VerifiedApproval,
} from './verified-approval.js';
