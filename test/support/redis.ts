/** A real redis-server per test file, on a free port (the harness's embedded provider). */
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedRedisProvider } from '../../harness/redis/embedded.js';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  return new EmbeddedRedisProvider().start();
}

/**
 * Registers a redis-server (and a client to it) for the current test file: started before its
 * tests, stopped after them. Read `.url` and `.client` inside tests.
 */
export function useRedis(): { readonly url: string; readonly client: import('ioredis').Redis } {
  let server: TestRedis | undefined;
  let client: import('ioredis').Redis | undefined;
  beforeAll(async () => {
    server = await startRedis();
    const { Redis } = await import('ioredis');
    client = new Redis(server.url);
  });
  afterAll(async () => {
    await client?.quit();
    await server?.stop();
  });
  return {
    get url() {
      return server!.url;
    },
    get client() {
      return client!;
    },
  };
}
