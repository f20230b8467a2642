/** Servers that are not Redis, on free loopback ports: one that sends garbage, an HTTP server, one that never answers. */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

function listen(server: Server, sockets: Set<Socket>): Promise<FakeServer> {
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    resolve({
      url: `redis://127.0.0.1:${port}`,
      close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
    });
  }));
}

/** Answers anything with bytes that are not RESP. */
export function garbageServer(): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  return listen(createServer((s) => { s.on('data', () => s.write('\x00\x01garbage\x7f\r\n')); s.on('error', () => undefined); }), sockets);
}

/** An HTTP server (whatever it receives, it answers 400 Bad Request). */
export function httpServer(): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  return listen(createHttpServer((_req, res) => res.end('hello')) as unknown as Server, sockets);
}

/** Accepts connections and never answers. */
export function silentServer(): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  return listen(createServer((s) => void s.on('error', () => undefined)), sockets);
}
