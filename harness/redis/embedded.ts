/**
 * The default provider: a fresh redis-server on a free port through redis-memory-server,
 * using the machine's binary (REDIS_SERVER_BIN, or `redis-server` on PATH), so nothing is
 * downloaded: a REDIS_SERVER_BIN that names no executable file is REDIS_UNAVAILABLE (exit 3)
 * naming the path. Without a binary, a clear error says how to get one. The server runs in its
 * own process group; `detach()` (--keep-redis) lets it outlive the harness.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { RedisMemoryServer } from 'redis-memory-server';
import { RedisUnavailableError } from '../../src/index.js';
import type { RedisControl, RedisProvider, StartedRedis } from './provider.js';

/** The redis-server binary to run, or null when there is none. */
export function findRedisServerBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.REDIS_SERVER_BIN) {
    // an explicit binary is used or refused, never replaced by a download
    try {
      accessSync(env.REDIS_SERVER_BIN, constants.X_OK);
    } catch (cause) {
      throw new RedisUnavailableError(
        `REDIS_SERVER_BIN=${env.REDIS_SERVER_BIN} is not an executable file (${(cause as NodeJS.ErrnoException).code ?? 'not found'}): ` +
          'point REDIS_SERVER_BIN at a redis-server binary, or unset it to use the redis-server on PATH',
        { binary: env.REDIS_SERVER_BIN },
        { cause },
      );
    }
    return env.REDIS_SERVER_BIN;
  }
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
  readonly supportedFaults = ['kill-redis', 'pause-redis', 'restart-redis'] as const;

  /** @param persistence 'aof': appendonly yes + appendfsync always in a temp dir, so a restart keeps the data */
  constructor(private readonly persistence: 'aof' | 'none' = 'none') {}

  async start(): Promise<StartedRedis> {
    const binary = findRedisServerBinary();
    if (!binary) {
      throw new RedisUnavailableError(
        'no redis-server binary: install one (Debian: apt-get install redis-server), set REDIS_SERVER_BIN=/path/to/redis-server, ' +
          'or use --redis redis://host:port for an existing server',
      );
    }
    const dir = this.persistence === 'aof' ? mkdtempSync(join(tmpdir(), 'fanin-aof-')) : null;
    const args = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : [];
    // its own process group: a Ctrl-C in the terminal reaches the harness, which stops it in order
    const server = new RedisMemoryServer({ binary: { systemBinary: binary }, instance: { args }, spawn: { detached: true } });
    let host: string;
    let port: number;
    try {
      host = await server.getHost();
      port = await server.getPort();
    } catch (cause) {
      await server.stop().catch(() => false);
      throw new RedisUnavailableError(`redis-server (${binary}) did not start: ${(cause as Error).message}`, { binary }, { cause });
    }
    const child = () => (server.getInstanceInfo() || undefined)?.instance.childProcess ?? undefined;
    const control: RedisControl = {
      persistence: this.persistence,
      pid: () => child()?.pid,
      signal: (sig) => void child()?.kill(sig),
      restart: async () => {
        const c = child();
        if (c && c.exitCode === null) {
          const gone = new Promise((r) => c.once('exit', r));
          c.kill('SIGKILL');
          await gone;
        }
        await server.stop().catch(() => false);
        await server.start(); // same port (redis-memory-server keeps it), same args
      },
    };
    return {
      url: `redis://${host}:${port}`,
      owned: true,
      control,
      detach: () => {
        // redis-memory-server's watchdog kills the server when this process exits: end the watchdog
        (server.getInstanceInfo() || undefined)?.instance.killerProcess?.kill('SIGKILL');
        const c = child();
        c?.stdout?.destroy();
        c?.stderr?.destroy();
        c?.unref();
        return c?.pid;
      },
      stop: async () => {
        await server.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
