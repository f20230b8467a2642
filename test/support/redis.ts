/** A real redis-server per test file, on a free port (the harness's embedded provider). */
import { EmbeddedRedisProvider } from '../../harness/redis/embedded.js';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  return new EmbeddedRedisProvider().start();
}
