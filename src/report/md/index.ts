import type { ReportFormat } from '../types.js';

export const id = 'md' satisfies ReportFormat['id'];
export const title = 'Markdown';
export const mediaType = 'text/markdown; charset=utf-8';
export { renderMarkdown as render } from './render.js';
