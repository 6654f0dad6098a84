import type { ReportFormat } from '../types.js';

export const id = 'sarif' satisfies ReportFormat['id'];
export const title = 'SARIF 2.1.0 (code scanning)';
export const mediaType = 'application/sarif+json';
export { renderSarif as render } from './render.js';
