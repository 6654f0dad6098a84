export {
  getChange,
  listChanges,
  listUnreviewedEmergencies,
  recordChange,
  requireChange,
  saveDecisionRow,
} from './change-store.js';
export type { ChangeClass, ChangeRecord } from './changes.js';
export {
  approvalState,
  approveChange,
  changeClasses,
  createChange,
  implementChange,
  isReviewOverdue,
  rejectChange,
  reviewChange,
  samePersonName,
} from './changes.js';
export { ChangeError } from './errors.js';
