/**
 * One proxied client connection: the accepted client socket, its own upstream socket, and a
 * DirectionPipe each way with that direction's toxics. Each toxic decides once, here, whether
 * it applies to this connection (toxicity), from a seed derived from the proxy seed, the
 * connection number and the toxic name.
 */
import { connect, type Socket } from 'node:net';
import { DirectionPipe, type ActiveToxic } from './direction-pipe.js';
import type { HostPort } from './loopback.js';
import { hashString, mixSeed, mulberry32 } from '../../util/random.js';
import type { StreamDirection } from './toxic.js';
import { createToxicInstance, type ResolvedToxic } from './toxic-spec.js';

export interface ProxyConnectionOptions {
  /** 1 for the first accepted connection, then 2, ... */
  id: number;
  client: Socket;
  upstream: HostPort;
  seed: number;
  /** The proxy's toxics at accept time, in the order they were added. */
  toxics: readonly ResolvedToxic[];
  onForwarded: (direction: StreamDirection, bytes: number) => void;
  onClosed: (conn: ProxyConnection) => void;
}

/** RST if possible (`resetAndDestroy`), plain destroy otherwise. */
function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

export class ProxyConnection {
  readonly id: number;
  private readonly client: Socket;
  private readonly server: Socket;
  /** Copy-on-write: a chunk in flight keeps the chain it started with. */
  private readonly chains: Record<StreamDirection, readonly ActiveToxic[]> = { upstream: [], downstream: [] };
  private readonly pipes: Record<StreamDirection, DirectionPipe>;
  private readonly seed: number;
  private openSockets = 2;
  private finished = false;

  constructor(private readonly opts: ProxyConnectionOptions) {
    this.id = opts.id;
    this.seed = opts.seed;
    this.client = opts.client;
    this.client.setNoDelay(true);
    this.server = connect({ host: opts.upstream.host, port: opts.upstream.port });
    this.server.setNoDelay(true);
    for (const toxic of opts.toxics) this.addToxic(toxic);

    const onFailure = (): void => this.destroy();
    this.pipes = {
      upstream: new DirectionPipe({
        source: this.client,
        dest: this.server,
        chain: () => this.chains.upstream,
        onForwarded: (n) => opts.onForwarded('upstream', n),
        onFailure,
      }),
      downstream: new DirectionPipe({
        source: this.server,
        dest: this.client,
        chain: () => this.chains.downstream,
        onForwarded: (n) => opts.onForwarded('downstream', n),
        onFailure,
      }),
    };
    // Errors surface as 'close' with hadError; the listeners keep them from being thrown.
    this.client.on('error', () => {});
    this.server.on('error', () => {});
    this.client.on('close', (hadError: boolean) => this.socketClosed('client', hadError));
    this.server.on('close', (hadError: boolean) => this.socketClosed('server', hadError));
  }

  /** Puts a toxic on this connection (after the ones already there). */
  addToxic(toxic: ResolvedToxic): void {
    if (this.finished) return;
    const random = mulberry32(mixSeed(this.seed, this.id, hashString(toxic.name)));
    const controller = new AbortController();
    const applies = random() < toxic.toxicity;
    const instance = applies
      ? createToxicInstance(toxic, {
          signal: controller.signal,
          random,
          resetConnection: () => this.reset(),
          closeConnection: () => this.destroy(),
        })
      : null;
    this.chains[toxic.stream] = [...this.chains[toxic.stream], { name: toxic.name, instance, controller }];
  }

  /** Takes a toxic off this connection; data it holds moves on. */
  removeToxic(name: string): void {
    for (const direction of ['upstream', 'downstream'] as const) {
      const chain = this.chains[direction];
      for (const t of chain) if (t.name === name) t.controller.abort();
      this.chains[direction] = chain.filter((t) => t.name !== name);
    }
  }

  /** Both sides get a TCP RST; nothing more is forwarded. */
  reset(): void {
    this.stopPipes();
    resetSocket(this.client);
    resetSocket(this.server);
  }

  /** Both sides are closed (FIN); nothing more is forwarded. */
  destroy(): void {
    this.stopPipes();
    this.client.destroy();
    this.server.destroy();
  }

  private stopPipes(): void {
    this.pipes.upstream.close();
    this.pipes.downstream.close();
  }

  private socketClosed(side: 'client' | 'server', hadError: boolean): void {
    // Nothing can be written to a closed socket any more.
    this.pipes[side === 'client' ? 'downstream' : 'upstream'].close();
    if (hadError) {
      // A reset or error on one side ends the other (a clean FIN lets the other direction
      // drain first: its pipe ends the peer once the source's data is through).
      (side === 'client' ? this.server : this.client).destroy();
    }
    this.openSockets -= 1;
    if (this.openSockets === 0) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopPipes();
    for (const direction of ['upstream', 'downstream'] as const) {
      for (const t of this.chains[direction]) t.controller.abort();
      this.chains[direction] = [];
    }
    this.opts.onClosed(this);
  }
}
