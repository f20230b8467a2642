/**
 * A real redis-server per test file, on a free port, started through redis-memory-server with
 * the machine's binary (no download), stopped after the tests.
 */
import { execFileSync } from 'node:child_process';
import { RedisMemoryServer } from 'redis-memory-server';

export function systemRedisBinary(): string {
  if (process.env.REDIS_SERVER_BIN) return process.env.REDIS_SERVER_BIN;
  return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
}

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const server = new RedisMemoryServer({ binary: { systemBinary: systemRedisBinary() } });
  const host = await server.getHost();
  const port = await server.getPort();
  return { url: `redis://${host}:${port}`, port, stop: async () => void (await server.stop()) };
}
