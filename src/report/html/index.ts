import type { ReportFormat } from '../types.js';

export const id = 'html' satisfies ReportFormat['id'];
export const title = 'HTML (one self-contained file)';
export const mediaType = 'text/html; charset=utf-8';
export { renderHtml as render } from './render.js';
