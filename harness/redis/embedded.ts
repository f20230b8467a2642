/**
 * The default provider: a fresh redis-server on a free port through redis-memory-server,
 * using the machine's binary (REDIS_SERVER_BIN, or `redis-server` on PATH), so nothing is
 * downloaded. Without a binary, a clear error says how to get one.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RedisMemoryServer } from 'redis-memory-server';
import { RedisUnavailableError } from '../../src/errors.js';
import type { RedisProvider, StartedRedis } from './provider.js';

/** The redis-server binary to run, or null when there is none. */
export function findRedisServerBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.REDIS_SERVER_BIN) return env.REDIS_SERVER_BIN;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

export class EmbeddedRedisProvider implements RedisProvider {
  readonly name = 'embedded' as const;
  /** None injected yet: Redis-level faults arrive with the nemesis (issue 6). */
  readonly supportedFaults = [] as const;

  async start(): Promise<StartedRedis> {
    const binary = findRedisServerBinary();
    if (!binary) {
      throw new RedisUnavailableError(
        'no redis-server binary: install one (Debian: apt-get install redis-server), set REDIS_SERVER_BIN=/path/to/redis-server, ' +
          'or use --redis redis://host:port for an existing server',
      );
    }
    const server = new RedisMemoryServer({ binary: { systemBinary: binary } });
    let host: string;
    let port: number;
    try {
      host = await server.getHost();
      port = await server.getPort();
    } catch (cause) {
      await server.stop().catch(() => false);
      throw new RedisUnavailableError(`redis-server (${binary}) did not start: ${(cause as Error).message}`, { binary }, { cause });
    }
    return {
      url: `redis://${host}:${port}`,
      owned: true,
      stop: async () => void (await server.stop()),
    };
  }
}
