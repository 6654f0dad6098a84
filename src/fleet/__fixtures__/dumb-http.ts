import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

/**
 * Serves a folder of bare repositories over git's "dumb" HTTP protocol (static files), on
 * loopback. While `hold` is set, requests wait unanswered: a worker cloning is then stuck
 * mid-job, for as long as the test wants, deterministically.
 */
export interface DumbHttpServer {
  url: string;
  hold: boolean;
  /** Requests received so far (held or served). */
  readonly requests: number;
  /** Resolves at the first request received while held. */
  readonly firstHeld: Promise<void>;
  /** Stops holding: held requests are dropped (their clients were killed) and new ones served. */
  release(): void;
  close(): Promise<void>;
}

export async function startDumbHttpServer(root: string): Promise<DumbHttpServer> {
  const held: ServerResponse[] = [];
  let requests = 0;
  let signalHeld: () => void = () => {};
  const firstHeld = new Promise<void>((resolve) => {
    signalHeld = resolve;
  });
  const serve = (request: IncomingMessage, response: ServerResponse) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (path.includes('..')) return void response.writeHead(400).end();
    const file = join(root, path);
    try {
      if (!statSync(file).isFile()) return void response.writeHead(404).end();
    } catch {
      return void response.writeHead(404).end();
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(response);
  };
  const state = { hold: true };
  const server: Server = createServer((request, response) => {
    requests++;
    if (state.hold) {
      held.push(response);
      signalHeld();
      return;
    }
    serve(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hold() {
      return state.hold;
    },
    set hold(value: boolean) {
      state.hold = value;
    },
    get requests() {
      return requests;
    },
    firstHeld,
    release() {
      state.hold = false;
      for (const response of held.splice(0)) response.destroy();
    },
    async close() {
      state.hold = false;
      for (const response of held.splice(0)) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
