/**
 * A real redis-server per test file, on a free port (the harness's embedded provider), or a
 * real local Redis Cluster of 3 masters after `useClusterForRedis()` (a test file that re-runs
 * another file's tests on a cluster: set the mode, then import that file).
 */
import { afterAll, beforeAll } from 'vitest';
import { ClusterRedisProvider } from '../../harness/redis/cluster.js';
import { EmbeddedRedisProvider } from '../../harness/redis/embedded.js';

let mode: 'single' | 'cluster' = 'single';

/** Makes every later useRedis() of this test file start a 3-master cluster (client: an ioredis Cluster). */
export function useClusterForRedis(): void {
  mode = 'cluster';
}

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
  const cluster = mode === 'cluster';
  beforeAll(async () => {
    const { Cluster, Redis } = await import('ioredis');
    if (cluster) {
      const started = await new ClusterRedisProvider().start();
      server = started;
      // the cluster's url is a seed list of every master
      client = new Cluster(started.nodes.filter((n) => n.role === 'master').map((n) => ({ host: '127.0.0.1', port: n.port }))) as unknown as import('ioredis').Redis;
      return;
    }
    server = await startRedis();
    client = new Redis(server.url);
  }, 60_000);
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
