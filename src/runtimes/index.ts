/**
 * Runtimes a repository declares (.nvmrc, engines, go.mod, Dockerfile FROM, setup-* steps, …),
 * each read into a product of the end-of-life dataset and the release cycle it names.
 */
export {
  type DeclaredRuntime,
  declarationSources,
  type RuntimeVersionsFacts,
  readRuntimeDeclarations,
} from './declarations.js';
