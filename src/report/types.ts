import type { Assessment } from '../kernel/index.js';

export type ReportFormatId = 'table' | 'json' | 'sarif' | 'md' | 'html';

export interface RenderOptions {
  /** ANSI colour; only the terminal table uses it. */
  color: boolean;
  /** More detail where a format has it (the table shows the evidence of passes). */
  verbose?: boolean;
}

/**
 * One output format of an assessment. One folder per format under src/report/: `index.ts`
 * declares the metadata and exports `render`, `render.ts` does the work.
 */
export interface ReportFormat {
  id: ReportFormatId;
  title: string;
  /** For `--out` files served over HTTP and for the server's downloads. */
  mediaType: string;
  /** Pure: the same assessment and options give the same text, ending with a newline. */
  render(assessment: Assessment, options: RenderOptions): string;
}
