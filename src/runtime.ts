/**
 * What a core component holds while it runs: its keyspace, its transport, a command
 * connection, and blocking connections made on demand.
 */
import type { Redis } from 'ioredis';
import type { CoreOptions } from './config.js';
import { Keyspace } from './keys.js';
import { connect, createBlockingClient, createClient } from './redis/connection.js';
import { assertKeyTypes, type ExpectedKey } from './redis/key-types.js';
import { defineScripts } from './lua/scripts.js';
import { createTransport } from './transport/index.js';
import type { Transport } from './transport/transport.js';

export class Runtime {
  readonly keys: Keyspace;
  readonly transport: Transport;
  readonly redis: Redis;
  /** Blocking connections and their server-side client ids (for CLIENT UNBLOCK). */
  private readonly blocking = new Map<Redis, number>();
  /** CLIENT UNBLOCK was refused (NOPERM): the user lacks @dangerous commands */
  private unblockDenied = false;

  constructor(readonly options: CoreOptions, readonly name: string) {
    this.keys = new Keyspace({ prefix: options.prefix, shards: options.shards });
    this.transport = createTransport(options.transport);
    this.redis = createClient({ ...this.connection(), name });
    defineScripts(this.redis);
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
    await connect(this.redis, this.options.redisUrl);
    await assertKeyTypes(this.redis, expected);
  }

  /** A new dedicated connection for blocking commands of at most `maxBlockMs`. */
  async blockingClient(maxBlockMs: number): Promise<Redis> {
    const c = createBlockingClient({ ...this.connection(), name: `${this.name}:blocking` }, maxBlockMs);
    await connect(c, this.options.redisUrl);
    this.blocking.set(c, Number(await c.client('ID')));
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
    await Promise.all([...this.blocking.values()].map((id) => this.redis.client('UNBLOCK', id, 'TIMEOUT').catch((err: unknown) => {
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
