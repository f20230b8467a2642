/**
 * `--serve`: a node:http server whose `/metrics` answers the newest watch round's Prometheus
 * exposition (503 until the first round ended, 404 elsewhere, GET/HEAD only). A port that
 * cannot be bound is a ConfigError (exit 2) naming the address. `close()` ends keep-alive
 * connections too, so the port is free when it resolves.
 */
import { createServer, type Server } from 'node:http';
import { ConfigError } from '../../../src/index.js';
import { PROM_CONTENT_TYPE } from '../report/prom-exposition.js';
import type { ServeAddress } from './serve-address.js';

export interface MetricsServer {
  /** http://host:port/metrics, with the port actually bound */
  url: string;
  port: number;
  /** the text `/metrics` answers from now on */
  update(text: string): void;
  close(): Promise<void>;
}

function listen(server: Server, addr: ServeAddress): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : addr.port);
    });
  });
}

export async function startMetricsServer(addr: ServeAddress): Promise<MetricsServer> {
  let body: string | null = null;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('fanin audit: only /metrics is served\n');
    if (body === null) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('fanin audit: the first round has not ended yet\n');
    res.writeHead(200, { 'content-type': PROM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body);
  });
  let port: number;
  try {
    port = await listen(server, addr);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`--serve ${addr.host}:${addr.port}: cannot listen there (${code}); pick a free port or an address of this machine, e.g. --serve 127.0.0.1:9121`, { serve: `${addr.host}:${addr.port}`, code }, { cause });
  }
  const shownHost = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
  return {
    url: `http://${shownHost}:${port}/metrics`,
    port,
    update: (text) => void (body = text),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
