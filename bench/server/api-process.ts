/**
 * The API in a process of its own, for the load bench: opens the store at SERVER_BENCH_DB, serves
 * the API (bearer tokens, as the server does) on a loopback port and prints `listening <url>`.
 * SERVER_BENCH_PORTFOLIO=page-model answers GET /api/v1/portfolio from the pages' read model
 * instead (the "before" figure).
 */
import Fastify from 'fastify';
import { loadCatalog } from '../../src/catalog/index.js';
import { api, pages } from '../../src/server/index.js';
import { openStore } from '../../src/store/index.js';

const url = process.env['SERVER_BENCH_DB'] ?? '';
const store = await openStore({ kind: 'postgres', url });
const catalog = loadCatalog();
const app = Fastify({ logger: false });
if (process.env['SERVER_BENCH_PORTFOLIO'] === 'page-model') {
  app.get('/api/v1/portfolio', async (request, reply) => {
    const principal = await api.authenticateBearer(store, request.headers.authorization, {
      now: new Date(),
      workloadIssuers: [],
    });
    if (!principal) return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    return pages.portfolioModel(store, { catalog, now: new Date() });
  });
} else {
  await api.registerApi(app, {
    store,
    catalog,
    clock: () => new Date(),
    authenticate: (request) =>
      api.authenticateBearer(store, request.headers.authorization, { now: new Date(), workloadIssuers: [] }),
  });
}
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${address}\n`);
const stop = async () => {
  await app.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
