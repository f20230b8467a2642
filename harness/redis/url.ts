/**
 * An existing Redis given by URL (`--redis redis://...`). The harness does not own it: it
 * never flushes or stops it, and cleans up only its own run's keys (see cleanup.ts).
 */
import { connect, createClient, detectCluster, parseRedisUrl } from '../../src/index.js';
import type { RedisProvider, StartedRedis } from './provider.js';

export interface UrlProviderOptions {
  /** Milliseconds to connect before the server counts as unreachable (default 5000). */
  connectTimeoutMs?: number;
}

export class UrlRedisProvider implements RedisProvider {
  readonly name = 'url' as const;
  readonly supportedFaults = [] as const;
  readonly url: string;
  private readonly connectTimeoutMs: number;

  /** Throws ConfigError when `url` is not a usable redis:// or rediss:// URL. */
  constructor(url: string, opts: UrlProviderOptions = {}) {
    parseRedisUrl(url);
    this.url = url;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
  }

  /** Connects and PINGs; RedisUnavailableError (naming the redacted URL) when it cannot. */
  async start(): Promise<StartedRedis> {
    // a node of a Redis Cluster (or a seed list): every client made for this URL is a Cluster client
    await detectCluster(this.url, this.connectTimeoutMs);
    const client = createClient({
      url: this.url,
      name: 'fanin-harness-probe',
      connectTimeoutMs: this.connectTimeoutMs,
      commandTimeoutMs: this.connectTimeoutMs,
    });
    // A probe: fail at the first refusal instead of reconnecting.
    client.options.retryStrategy = () => null;
    client.on('error', () => {
      /* reported by connect() */
    });
    await connect(client, this.url);
    await client.quit().catch(() => client.disconnect());
    return {
      url: this.url,
      owned: false,
      // Not ours: leave the server (and its data) as it is.
      stop: async () => {},
    };
  }
}
