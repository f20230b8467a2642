/**
 * What a core component holds while it runs: its keyspace, its transport, a command
 * connection, and blocking connections made on demand.
 */
import type { Redis } from 'ioredis';
import type { CoreOptions } from './config.js';
import { ConfigError } from './errors.js';
import { runDurableScript } from './lua/durable-script.js';
import { runScript, type ScriptName } from './lua/scripts.js';
import { Keyspace } from './keys.js';
import { connect, createBlockingClient, createClient } from './redis/connection.js';
import { clientHandle, type ClientHandle } from './redis/client-handle.js';
import { leaseSharedClient, type SharedLease } from './redis/shared-client.js';
import { detectCluster, isClusterClient, isKnownCluster } from './redis/cluster-detect.js';
import { assertKeyTypes, type ExpectedKey } from './redis/key-types.js';
import { createTransport } from './transport/index.js';
import type { Transport } from './transport/transport.js';

export class Runtime {
  readonly keys: Keyspace;
  readonly transport: Transport;
  /** The command connection; on a Redis Cluster an ioredis Cluster (see redis/cluster-detect.ts). */
  readonly redis: Redis;
  private readonly handle: ClientHandle;
  /** The process's shared command connection, when this component shares it (shared-client.ts). */
  private shared?: SharedLease;
  /** Dedicated connections for blocking commands (ended by endBlockingReads). */
  private readonly blocking = new Set<Redis>();

  constructor(readonly options: CoreOptions, readonly name: string) {
    if (options.durableWrites === 'replicas' && options.durableTimeoutMs >= options.commandTimeoutMs) {
      throw new ConfigError(`durableTimeoutMs (--durable-timeout) ${options.durableTimeoutMs} ms must be below the command timeout (${options.commandTimeoutMs} ms), as WAIT blocks its connection up to its timeout; fix: lower --durable-timeout`, {
        durableTimeoutMs: options.durableTimeoutMs, commandTimeoutMs: options.commandTimeoutMs,
      });
    }
    this.keys = new Keyspace({ prefix: options.prefix, shards: options.shards });
    this.transport = createTransport(options.transport);
    const c = this.connection();
    if (options.shareConnection !== false && options.durableWrites !== 'replicas' && !isKnownCluster(c.url)) {
      this.shared = leaseSharedClient(JSON.stringify([c.url, c.connectTimeoutMs, c.commandTimeoutMs]), () => createClient({ ...c, name: 'fanin:shared' }));
      this.handle = clientHandle(this.shared.client);
    } else {
      this.handle = clientHandle(createClient({ ...c, name }));
    }
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
    const shared = this.shared;
    if (shared) {
      // once per shared connection: a plain Redis is connected; a cluster node is not shared
      const cluster = await shared.ready(async () => {
        const isCluster = await detectCluster(this.options.redisUrl, this.options.connectTimeoutMs);
        if (!isCluster) await connect(shared.client, this.options.redisUrl);
        return isCluster;
      });
      if (cluster) this.leaveShared();
    }
    if (!this.shared) await this.connectCommandClient();
    await assertKeyTypes(this.redis, expected);
  }

  /** Takes a connection of its own instead of the shared one (a cluster: one Cluster client per component). */
  private leaveShared(): void {
    const shared = this.shared!;
    this.shared = undefined;
    this.handle.swap(createClient({ ...this.connection(), name: this.name }));
    if (shared.release()) shared.client.disconnect();
  }

  /** Connects the command connection, a Cluster client when the URL names a cluster node. */
  private async connectCommandClient(): Promise<void> {
    if (!isClusterClient(this.handle.current()) && (await detectCluster(this.options.redisUrl, this.options.connectTimeoutMs))) {
      // the URL names a cluster node: the (not yet connected) client becomes a Cluster client
      const plain = this.handle.current();
      this.handle.swap(createClient({ ...this.connection(), name: this.name }));
      plain.disconnect();
    }
    await connect(this.redis, this.options.redisUrl);
  }

  /**
   * Runs a script that commits progress (submit, completion, failure, dead letter, expiry):
   * under `durableWrites: 'replicas'` it resolves only once the configured replicas hold the
   * write (else NOT_DURABLE), otherwise as runScript.
   */
  commit<T = unknown>(name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
    const o = this.options;
    if (o.durableWrites !== 'replicas') return runScript<T>(this.redis, name, keys, args);
    return runDurableScript<T>(this.redis, name, keys, args, { replicas: o.durableReplicas, timeoutMs: o.durableTimeoutMs });
  }

  /** A new dedicated connection for blocking commands of at most `maxBlockMs`. */
  async blockingClient(maxBlockMs: number): Promise<Redis> {
    const c = createBlockingClient({ ...this.connection(), name: `${this.name}:blocking` }, maxBlockMs);
    await connect(c, this.options.redisUrl);
    this.blocking.add(c);
    return c;
  }

  releaseBlockingClient(c: Redis): void {
    this.blocking.delete(c);
    c.disconnect();
  }

  /**
   * Ends every blocked read now by closing the dedicated blocking connections (the blocked
   * command rejects with "Connection is closed."; Redis drops the client and its block). No
   * CLIENT UNBLOCK: it is @dangerous, and a least-privilege user (docs/security.md) would be
   * refused it — one ACL denial per stop. Nothing is lost: a read Redis served just before the
   * close, whose reply never arrives, left its entries pending under this consumer (streams:
   * reclaimed after the visibility timeout; the consumer is kept while it holds any) or its item
   * in this worker's processing list (lists: returned by the reaper once the heartbeat lapses).
   */
  endBlockingReads(): void {
    for (const c of this.blocking) c.disconnect();
    this.blocking.clear();
  }

  async close(): Promise<void> {
    this.endBlockingReads();
    // a shared connection stays open while another component of the process uses it
    if (this.shared && !this.shared.release()) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
