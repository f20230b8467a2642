/**
 * What a core component holds while it runs: its keyspace, its transport, a command
 * connection, and blocking connections made on demand.
 */
import type { Cluster, Redis } from 'ioredis';
import type { CoreOptions } from './config.js';
import { Keyspace } from './keys.js';
import { connect, createBlockingClient, createClient } from './redis/connection.js';
import { clientHandle, type ClientHandle } from './redis/client-handle.js';
import { clusterUnblocker, detectCluster, isClusterClient } from './redis/cluster-detect.js';
import { assertKeyTypes, type ExpectedKey } from './redis/key-types.js';
import { createTransport } from './transport/index.js';
import type { Transport } from './transport/transport.js';

export class Runtime {
  readonly keys: Keyspace;
  readonly transport: Transport;
  /** The command connection; on a Redis Cluster an ioredis Cluster (see redis/cluster-detect.ts). */
  readonly redis: Redis;
  private readonly handle: ClientHandle;
  /** Blocking connections and how to end their current block (CLIENT UNBLOCK). */
  private readonly blocking = new Map<Redis, () => Promise<unknown>>();
  /** CLIENT UNBLOCK was refused (NOPERM): the user lacks @dangerous commands */
  private unblockDenied = false;

  constructor(readonly options: CoreOptions, readonly name: string) {
    this.keys = new Keyspace({ prefix: options.prefix, shards: options.shards });
    this.transport = createTransport(options.transport);
    this.handle = clientHandle(createClient({ ...this.connection(), name }));
    this.redis = this.handle.client;
  }

  private connection() {
    return {
      url: this.options.redisUrl,
      connectTimeoutMs: this.options.connectTimeoutMs,
      commandTimeoutMs: this.options.commandTimeoutMs,
    };
  }

  /** Connects and checks the types of the keys this component will use. */
  async start(expected: readonly ExpectedKey[]): Promise<void> {
    if (!isClusterClient(this.handle.current()) && (await detectCluster(this.options.redisUrl, this.options.connectTimeoutMs))) {
      // the URL names a cluster node: the (not yet connected) client becomes a Cluster client
      const plain = this.handle.current();
      this.handle.swap(createClient({ ...this.connection(), name: this.name }));
      plain.disconnect();
    }
    await connect(this.redis, this.options.redisUrl);
    await assertKeyTypes(this.redis, expected);
  }

  /** A new dedicated connection for blocking commands of at most `maxBlockMs`. */
  async blockingClient(maxBlockMs: number): Promise<Redis> {
    const c = createBlockingClient({ ...this.connection(), name: `${this.name}:blocking` }, maxBlockMs);
    await connect(c, this.options.redisUrl);
    if (isClusterClient(c)) this.blocking.set(c, await clusterUnblocker(c, this.redis as unknown as Cluster));
    else {
      const id = Number(await c.client('ID'));
      this.blocking.set(c, () => this.redis.client('UNBLOCK', id, 'TIMEOUT'));
    }
    return c;
  }

  releaseBlockingClient(c: Redis): void {
    this.blocking.delete(c);
    c.disconnect();
  }

  /**
   * Ends the current block of every blocking connection as if it had timed out (CLIENT UNBLOCK
   * ... TIMEOUT): nothing is claimed by the interrupted command, and a stop need not wait.
   */
  async unblockAll(): Promise<void> {
    // CLIENT UNBLOCK is @dangerous: a least-privilege user (docs/security.md) may not run it. Then
    // the blocks end on their own (within blockMs), and it is not asked again (no ACL-log noise).
    if (this.unblockDenied) return;
    await Promise.all([...this.blocking.values()].map((unblock) => unblock().catch((err: unknown) => {
      if (err instanceof Error && err.message.startsWith('NOPERM')) this.unblockDenied = true;
      return 0;
    })));
  }

  async close(): Promise<void> {
    for (const c of this.blocking.keys()) c.disconnect();
    this.blocking.clear();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
