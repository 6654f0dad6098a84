/**
 * The command line's surface for tests and benches. Production code never imports the CLI: it is
 * the top layer, entered through `main.ts`.
 */
export { renderGateJson, renderGateTable } from './commands/gate.js';
export { main } from './program.js';
export { openCommandStore } from './store-access.js';
