export { renderCycloneDx } from './cyclonedx.js';
export { SbomError } from './errors.js';
export type { SbomFormat } from './generate.js';
export { generateSbom, sbomFormats } from './generate.js';
export { maxSbomBytes, readSbomPackages, type SbomOperatingSystem } from './import.js';
