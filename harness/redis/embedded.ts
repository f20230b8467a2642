/**
 * The default provider: a fresh redis-server on a free loopback port, started from the machine's
 * binary (REDIS_SERVER_BIN, or `redis-server` on PATH) with `--save '' --appendonly no`, so
 * nothing is downloaded or compiled, ever: a REDIS_SERVER_BIN that names no executable file is
 * REDIS_UNAVAILABLE (exit 3) naming the path, and without a binary a clear error says how to get
 * one. The server runs in its own process group; `detach()` (--keep-redis) lets it outlive the
 * harness. With persistence 'aof' (the restart faults) it writes an append-only file with
 * appendfsync always in a temp dir, so a restart on the same port keeps the data.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { RedisUnavailableError } from '../../src/index.js';
import { freeLoopbackPort } from './free-port.js';
import type { RedisControl, RedisProvider, StartedRedis } from './provider.js';
import { startRedisServer, stopRedisServer, watchServer, type RedisServerProcess } from './redis-server-process.js';

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

/** Ports tried before giving up (another process may take a free port before the server binds it). */
const MAX_ATTEMPTS = 3;

function noBinary(): RedisUnavailableError {
  return new RedisUnavailableError(
    'no redis-server binary: install one (Debian: apt-get install redis-server), set REDIS_SERVER_BIN=/path/to/redis-server, ' +
      'or use --redis redis://host:port for an existing server',
  );
}

/** Starts the server on a free port, trying another port when one was taken meanwhile. */
async function startOnFreePort(binary: string, args: string[]): Promise<RedisServerProcess> {
  let last: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await startRedisServer(binary, await freeLoopbackPort(), args);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

export class EmbeddedRedisProvider implements RedisProvider {
  readonly name = 'embedded' as const;
  readonly supportedFaults = ['kill-redis', 'pause-redis', 'restart-redis'] as const;

  /** @param persistence 'aof': appendonly yes + appendfsync always in a temp dir, so a restart keeps the data */
  constructor(private readonly persistence: 'aof' | 'none' = 'none') {}

  async start(): Promise<StartedRedis> {
    const binary = findRedisServerBinary();
    if (!binary) throw noBinary();
    const dir = mkdtempSync(join(tmpdir(), this.persistence === 'aof' ? 'fanin-aof-' : 'fanin-redis-'));
    const args = ['--dir', dir, '--save', '', ...(this.persistence === 'aof' ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'])];
    let server: RedisServerProcess;
    try {
      server = await startOnFreePort(binary, args);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    let watchdog = watchServer(server.child.pid!);
    const control: RedisControl = {
      persistence: this.persistence,
      pid: () => server.child.pid,
      signal: (sig) => void server.child.kill(sig),
      restart: async () => {
        if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
        await server.exited;
        server = await startRedisServer(binary, server.port, args); // same port, same args (the AOF dir)
        watchdog.kill('SIGKILL');
        watchdog = watchServer(server.child.pid!);
      },
    };
    let stopped: Promise<void> | undefined;
    return {
      url: `redis://127.0.0.1:${server.port}`,
      owned: true,
      control,
      detach: () => {
        watchdog.kill('SIGKILL');
        server.child.stdout?.destroy();
        server.child.stderr?.destroy();
        server.child.unref();
        return server.child.pid;
      },
      stop: () => (stopped ??= (async () => {
        await stopRedisServer(server);
        watchdog.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      })()),
    };
  }
}
