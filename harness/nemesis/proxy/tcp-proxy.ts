/**
 * A loopback TCP proxy with Toxiproxy-style toxics, for degrading the network between fanin's
 * components and Redis. Each accepted client connection gets its own upstream connection;
 * data goes through a toxic chain per direction (`upstream` = client → Redis, `downstream` =
 * Redis → client). Toxics added or removed later apply to open connections too.
 *
 *   const proxy = await TcpProxy.start({ upstream: upstreamFromRedisUrl(redis.url) });
 *   const client = new Redis(proxy.url(redis.url));
 *   proxy.addToxic({ type: 'latency', stream: 'downstream', attributes: { latency: 100, jitter: 10 } });
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ConfigError, NotFoundError } from '../../../src/index.js';
import { loopbackUpstream, withHostPort, type HostPort } from './loopback.js';
import { ProxyConnection } from './proxy-connection.js';
import { parseToxicSpec, type ResolvedToxic, type ToxicSpec } from './toxic-spec.js';

export interface TcpProxyOptions {
  /** Where to forward; must be a loopback address. */
  upstream: HostPort;
  /** Only loopback is supported. */
  listenHost?: '127.0.0.1';
  /** Seeds toxicity draws, jitter and slice sizes (per connection, by accept order). Random when absent. */
  seed?: number;
}

export interface TcpProxyStats {
  /** Client connections accepted since start. */
  accepted: number;
  /** Bytes written to the upstream (client → Redis), after toxics. */
  bytesUp: number;
  /** Bytes written to clients (Redis → client), after toxics. */
  bytesDown: number;
}

export class TcpProxy {
  readonly upstream: HostPort;
  readonly seed: number;
  private readonly server: Server;
  private readonly toxics = new Map<string, ResolvedToxic>();
  private readonly live = new Set<ProxyConnection>();
  private listenPort = 0;
  private accepted = 0;
  private bytesUp = 0;
  private bytesDown = 0;
  private stopping: Promise<void> | null = null;

  private constructor(upstream: HostPort, seed: number) {
    this.upstream = upstream;
    this.seed = seed;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1 on a free port. ConfigError for a non-loopback upstream or listen host. */
  static async start(opts: TcpProxyOptions): Promise<TcpProxy> {
    const upstream = loopbackUpstream(opts.upstream);
    const listenHost = opts.listenHost ?? '127.0.0.1';
    if (listenHost !== '127.0.0.1') {
      throw new ConfigError(`the proxy only listens on 127.0.0.1, not ${JSON.stringify(listenHost)}`, { listenHost });
    }
    if (opts.seed !== undefined && !Number.isFinite(opts.seed)) {
      throw new ConfigError(`proxy seed must be a finite number, got ${String(opts.seed)}`, { seed: opts.seed });
    }
    const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
    const proxy = new TcpProxy(upstream, seed);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, listenHost, () => {
        proxy.server.off('error', reject);
        resolve();
      });
    });
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new ConfigError('proxy did not get a TCP port', { address });
    proxy.listenPort = address.port;
    proxy.server.on('error', () => {
      /* accept errors (EMFILE, ...) only lose that connection */
    });
    return proxy;
  }

  /** The port the proxy listens on (127.0.0.1). */
  get port(): number {
    return this.listenPort;
  }

  /** `redisUrl` with host and port replaced by the proxy's (credentials, db, query kept). */
  url(redisUrl: string): string {
    return withHostPort(redisUrl, '127.0.0.1', this.port);
  }

  /** Validates and adds a toxic (to open connections too); returns its name. ConfigError if invalid or the name is taken. */
  addToxic(spec: ToxicSpec): string {
    const toxic = parseToxicSpec(spec);
    if (this.toxics.has(toxic.name)) {
      throw new ConfigError(`a toxic named "${toxic.name}" already exists on this proxy; give the new one another name`, {
        name: toxic.name,
      });
    }
    this.toxics.set(toxic.name, toxic);
    for (const conn of this.live) conn.addToxic(toxic);
    return toxic.name;
  }

  /** Removes a toxic everywhere; data it holds moves on. NotFoundError for an unknown name. */
  removeToxic(name: string): void {
    if (!this.toxics.delete(name)) {
      throw new NotFoundError(`no toxic named "${name}" on this proxy`, { name, toxics: [...this.toxics.keys()] });
    }
    for (const conn of this.live) conn.removeToxic(name);
  }

  /** Removes every toxic. */
  clearToxics(): void {
    for (const name of [...this.toxics.keys()]) this.removeToxic(name);
  }

  /** The toxics in place, validated and with defaults filled in, in the order they were added. */
  listToxics(): ResolvedToxic[] {
    return [...this.toxics.values()];
  }

  /** Sends a TCP RST to every open client connection (and its upstream connection). */
  resetAllConnections(): void {
    for (const conn of [...this.live]) conn.reset();
  }

  /** Client connections currently open. */
  connections(): number {
    return this.live.size;
  }

  stats(): TcpProxyStats {
    return { accepted: this.accepted, bytesUp: this.bytesUp, bytesDown: this.bytesDown };
  }

  /** Stops listening and closes every connection. Idempotent. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        for (const conn of [...this.live]) conn.destroy();
      });
    }
    return this.stopping;
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    this.accepted += 1;
    const conn = new ProxyConnection({
      id: this.accepted,
      client: socket,
      upstream: this.upstream,
      seed: this.seed,
      toxics: [...this.toxics.values()],
      onForwarded: (direction, bytes) => {
        if (direction === 'upstream') this.bytesUp += bytes;
        else this.bytesDown += bytes;
      },
      onClosed: (closed) => this.live.delete(closed),
    });
    this.live.add(conn);
  }
}
