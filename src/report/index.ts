import { type Assessment, type ControlResult, type Severity, severityRank } from '../kernel/index.js';
import * as html from './html/index.js';
import * as json from './json/index.js';
import * as md from './md/index.js';
import * as sarif from './sarif/index.js';
import * as table from './table/index.js';
import type { ReportFormat, ReportFormatId } from './types.js';

export type { RenderOptions, ReportFormat, ReportFormatId } from './types.js';

/**
 * Every report format, by id. One explicit map: a test proves each folder under src/report/ is
 * registered here and renders a sample assessment.
 */
export const reportFormats: Readonly<{ [Id in ReportFormatId]: ReportFormat & { id: Id } }> = {
  table,
  json,
  sarif,
  md,
  html,
};

/** The ids in the order `--format` help lists them. */
export const reportFormatIds: readonly ReportFormatId[] = ['table', 'json', 'sarif', 'md', 'html'];

/**
 * The controls that make a command exit 1 under `--fail-on`: failing or partial, not covered by
 * an accepted exception, and at least as severe as `failOn`. `none` never fails.
 */
export function failingAtOrAbove(assessment: Assessment, failOn: Severity | 'none'): ControlResult[] {
  if (failOn === 'none') return [];
  const threshold = severityRank(failOn);
  return assessment.controls.filter(
    (control) =>
      (control.status === 'fail' || control.status === 'partial') &&
      control.exception === undefined &&
      severityRank(control.severity) >= threshold,
  );
}
export { validateAssessmentDocument } from './json/index.js';
