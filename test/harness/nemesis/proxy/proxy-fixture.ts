/**
 * Shared setup for the proxy tests: a real redis-server (EmbeddedRedisProvider), a TcpProxy in
 * front of it, and ioredis clients through the proxy that fail fast instead of hanging.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { upstreamFromRedisUrl } from '../../../../harness/nemesis/proxy/index.js';
import { TcpProxy } from '../../../../harness/nemesis/proxy/tcp-proxy.js';
import { EmbeddedRedisProvider } from '../../../../harness/redis/embedded.js';
import type { StartedRedis } from '../../../../harness/redis/provider.js';

export interface ProxiedClient {
  redis: Redis;
  /** Every 'error' event the client emitted. */
  errors: Error[];
}

export class ProxyFixture {
  private readonly clients: Redis[] = [];
  private constructor(
    readonly redis: StartedRedis,
    readonly proxy: TcpProxy,
  ) {}

  static async start(opts: { seed?: number } = {}): Promise<ProxyFixture> {
    const redis = await new EmbeddedRedisProvider().start();
    try {
      const proxy = await TcpProxy.start({ upstream: upstreamFromRedisUrl(redis.url), seed: opts.seed });
      return new ProxyFixture(redis, proxy);
    } catch (err) {
      await redis.stop();
      throw err;
    }
  }

  /** A connected client through the proxy: bounded retries, command timeout, quick reconnects. */
  async client(options: RedisOptions = {}): Promise<ProxiedClient> {
    const redis = new Redis(this.proxy.url(this.redis.url), {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 3000,
      connectTimeout: 3000,
      retryStrategy: (attempt) => (attempt > 200 ? null : 50),
      ...options,
    });
    const errors: Error[] = [];
    redis.on('error', (err: Error) => errors.push(err));
    this.clients.push(redis);
    await redis.connect();
    return { redis, errors };
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.disconnect();
    await this.proxy.stop();
    await this.redis.stop();
  }
}

/** Milliseconds `fn` takes. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Resolves once the client is 'ready' again (rejects after `ms`). */
export function readyAgain(redis: Redis, ms = 5000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client not ready after ${ms} ms (status ${redis.status})`)), ms);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Polls `check` until it is true (rejects after `ms`). */
export async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
