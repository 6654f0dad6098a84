export { renderCycloneDx } from './cyclonedx.js';
export type { SbomFormat } from './generate.js';
export { generateSbom, sbomFormats } from './generate.js';
export { readSbomPackages } from './import.js';
