/** The server's pages: read models over the store and pure renderers to HTML (see readme.md). */
export {
  advanceChangeAs,
  approveRemediationPlan,
  enterRecord,
  FormError,
  importTraining,
  requestChange,
  uploadPenTest,
} from './actions.js';
export { type StaticAsset, stylesheet } from './assets.js';
export { donut, percent, stackedBar, trendChart } from './charts.js';
export { acceptedUploadTypes } from './file-types.js';
export { escapeHtml, type Html, html } from './html.js';
export { csrfField, layout, type PageContext, paths, type Section } from './layout.js';
export {
  areasOf,
  type ChangeRow,
  changesModel,
  type DueBoard,
  dueBoard,
  type ExceptionRow,
  exceptionsModel,
  type GateDecisionRow,
  gateDecisionsModel,
  type InclusionModel,
  inclusionModel,
  type LedgerModel,
  latestAssessmentRows,
  ledgerModel,
  loadRecordSet,
  type PenTestRow,
  type PeopleModel,
  type PortfolioModel,
  penTestsModel,
  peopleModel,
  portfolioModel,
  type RecordsModel,
  type RepositoryModel,
  recordsModel,
  repositoryModel,
} from './read-models.js';
export {
  allows,
  contextFor,
  type PageRequest,
  type PageResponse,
  type PageRoute,
  pageRoutes,
  permissionsFor,
  personRoles,
  type ServerRole,
  serverRoles,
  type UploadedFile,
} from './routes.js';
export {
  changesPage,
  errorPage,
  exceptionsPage,
  gatePage,
  ledgerPage,
  penTestsPage,
  peoplePage,
  portfolioPage,
  recordsPage,
  repositoryPage,
} from './views.js';
