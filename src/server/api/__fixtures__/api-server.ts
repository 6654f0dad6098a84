/**
 * A real Fastify server on loopback with the API registered and bearer authentication, as the
 * server wires it (tests and the bench start it; the server's own app adds sessions and pages).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadCatalog } from '../../../catalog/index.js';
import type { Store } from '../../../store/index.js';
import { authenticateBearer, type WorkloadIssuer } from '../authenticate.js';
import { registerApi } from '../openapi.js';

export interface ApiTestServer {
  app: FastifyInstance;
  url: string;
  uploadFolder: string;
  close(): Promise<void>;
}

export async function startApiServer(
  store: Store,
  options: {
    workloadIssuers?: WorkloadIssuer[];
    maxUploadBytes?: number;
    uploadBytesPerDay?: number;
    clock?: () => Date;
    logger?: boolean;
  } = {},
): Promise<ApiTestServer> {
  const uploadFolder = mkdtempSync(join(tmpdir(), 'shipguard-uploads-'));
  const app = Fastify({ logger: options.logger ?? false });
  await registerApi(app, {
    store,
    catalog: loadCatalog(),
    clock: options.clock ?? (() => new Date()),
    uploadFolder,
    portfolioFreshMs: 0,
    ...(options.maxUploadBytes === undefined ? {} : { maxUploadBytes: options.maxUploadBytes }),
    ...(options.uploadBytesPerDay === undefined ? {} : { uploadBytesPerDay: options.uploadBytesPerDay }),
    authenticate: (request) =>
      authenticateBearer(store, request.headers.authorization, {
        now: new Date(),
        workloadIssuers: options.workloadIssuers ?? [],
      }),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, uploadFolder, close: () => app.close() };
}
