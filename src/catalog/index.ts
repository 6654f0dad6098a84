export { frameworks } from './frameworks.js';
export { loadCatalog } from './load.js';
export type { ControlsView } from './render.js';
export { controlsFormats, renderCatalog } from './render.js';
export type { Catalog, Control, RecordType } from './schema.js';
export { areas } from './schema.js';
