/**
 * A plain node:http server that renders the pages from a store, under the CSP the real server
 * sends, for browser tests of the pages themselves (layout, stylesheet, CSP, screenshots). It has
 * no login: every request is the given viewer. The real server (src/server) adds sessions, roles
 * and CSRF checks in front of the same renderers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCatalog } from '../../../catalog/index.js';
import type { Store } from '../../../store/index.js';
import { stylesheet } from '../assets.js';
import type { PageContext } from '../layout.js';
import {
  changesModel,
  exceptionsModel,
  gateDecisionsModel,
  inclusionModel,
  ledgerModel,
  loadRecordSet,
  penTestsModel,
  peopleModel,
  portfolioModel,
  recordsModel,
  repositoryModel,
} from '../read-models.js';
import {
  changesPage,
  errorPage,
  exceptionsPage,
  gatePage,
  ledgerPage,
  penTestsPage,
  peoplePage,
  portfolioPage,
  recordsPage,
  repositoryPage,
} from '../views.js';

export const pagesCsp =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function startPageServer(store: Store, context: PageContext, now: Date): Promise<PageServer> {
  const catalog = loadCatalog();
  async function render(path: string): Promise<{ status: number; body: string } | undefined> {
    if (path === '/') {
      const records = await loadRecordSet(store);
      return { status: 200, body: portfolioPage(context, await portfolioModel(store, { catalog, now, records })) };
    }
    if (path.startsWith('/repositories/')) {
      const model = await repositoryModel(store, decodeURIComponent(path.slice('/repositories/'.length)), now);
      return model ? { status: 200, body: repositoryPage(context, model) } : undefined;
    }
    if (path === '/records') return { status: 200, body: recordsPage(context, recordsModel(catalog, await loadRecordSet(store), now)) };
    if (path === '/pen-tests') return { status: 200, body: penTestsPage(context, penTestsModel(await loadRecordSet(store), now)) };
    if (path === '/changes') return { status: 200, body: changesPage(context, await changesModel(store, context.user.name, now)) };
    if (path === '/gate') return { status: 200, body: gatePage(context, await gateDecisionsModel(store)) };
    if (path === '/exceptions') return { status: 200, body: exceptionsPage(context, await exceptionsModel(store, now)) };
    if (path === '/people') return { status: 200, body: peoplePage(context, peopleModel(await loadRecordSet(store), now)) };
    if (path === '/ledger') return { status: 200, body: ledgerPage(context, await ledgerModel(store)) };
    const entry = /^\/ledger\/entries\/(\d{1,12})$/.exec(path);
    if (entry) return { status: 200, body: ledgerPage(context, await ledgerModel(store), await inclusionModel(store, Number(entry[1]))) };
    return undefined;
  }
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/assets/pages.css') {
      const css = stylesheet();
      response.writeHead(200, { 'content-type': css.contentType, etag: css.etag });
      response.end(css.body);
      return;
    }
    const page = request.method === 'GET' ? await render(path) : undefined;
    const status = page?.status ?? (request.method === 'GET' ? 404 : 405);
    response.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': pagesCsp,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    response.end(page?.body ?? errorPage(context, status, 'There is no such page.'));
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
