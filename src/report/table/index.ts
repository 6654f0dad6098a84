import type { ReportFormat } from '../types.js';

export const id = 'table' satisfies ReportFormat['id'];
export const title = 'Terminal table';
export const mediaType = 'text/plain; charset=utf-8';
export { renderTable as render } from './render.js';
