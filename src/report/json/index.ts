import type { ReportFormat } from '../types.js';

export const id = 'json' satisfies ReportFormat['id'];
export const title = 'JSON (the assessment, schemaVersion 1)';
export const mediaType = 'application/json';
export { renderJson as render } from './render.js';
export { validateAssessmentDocument } from './validate.js';
