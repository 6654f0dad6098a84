/** `shipguard serve`: the server and its pages. */

/** The JSON API, API tokens and CI uploads. */
export * as api from './api/index.js';
export * as pages from './pages/index.js';
