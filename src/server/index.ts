/** `shipguard serve`: the server and its pages. */
export * as pages from './pages/index.js';
