export { createAssessFolder } from './assess.js';
export { type EmbeddedEvent, type EmbeddedOptions, type EmbeddedResult, runEmbedded } from './embedded.js';
export { FleetError, type FleetErrorCode } from './errors.js';
export {
  type AssessFolder,
  type FleetJob,
  type JobContext,
  type JobOutcome,
  recordRunFailure,
  runRepositoryJob,
  type Trigger,
  triggers,
} from './job.js';
export { prepareMirror } from './mirror.js';
export {
  assessQueue,
  deadLetterQueue,
  defaultQueueSettings,
  type FleetQueue,
  type QueueSettings,
  startQueue,
  startScheduler,
  startWorker,
  tickQueue,
  type WorkerEvents,
} from './queue.js';
export {
  type AddResult,
  addRepositories,
  countRuns,
  type FleetRepository,
  getRepository,
  listRepositories,
  removeRepositories,
} from './registry.js';
export {
  type AdvisoryMatch,
  affectedRepositories,
  type Component,
  markNotified,
  type PendingNotification,
  pendingNotifications,
  type RematchResult,
  recordComponents,
  rematch,
  type VersionMatch,
} from './rematch.js';
export {
  type Enqueue,
  scheduledPriority,
  scheduleTick,
  type TickOptions,
  triggeredPriority,
  triggerRun,
} from './scheduler.js';
export type { FleetRepositoriesTable, FleetRunsTable, FleetTables } from './tables.js';
export { checkWebhookUrl, deliverWebhook, signWebhook, type WebhookDelivery } from './webhook.js';
