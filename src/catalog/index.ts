export type {
  FrameworkControlStatus,
  FrameworkItemStatus,
  FrameworkStatusFormat,
  FrameworkStatusView,
} from './framework-status.js';
export { frameworkStatus, frameworkStatusFormats, renderFrameworkStatus } from './framework-status.js';
export type { Framework } from './frameworks.js';
export { frameworks } from './frameworks.js';
export { loadCatalog } from './load.js';
export type { ControlsView } from './render.js';
export { controlsFormats, renderCatalog } from './render.js';
export type { Catalog, Control, RecordType } from './schema.js';
export { areas } from './schema.js';
