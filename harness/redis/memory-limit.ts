/**
 * A memory limit on the Redis the harness started (`setup.redisMaxMemoryMb`): CONFIG SET
 * maxmemory and `maxmemory-policy noeviction`, so a full Redis refuses writes (`OOM command not
 * allowed`) instead of evicting coordination keys. Never on a Redis the harness does not own.
 */
import type { Redis } from 'ioredis';
import { ConfigError } from '../../src/index.js';
import { mastersOf } from './cluster-admin.js';
import type { StartedRedis } from './provider.js';

export async function applyMemoryLimit(admin: Redis, redis: StartedRedis, maxMemoryMb: number | undefined): Promise<void> {
  if (maxMemoryMb === undefined) return;
  if (!redis.owned) {
    throw new ConfigError('setup.redisMaxMemoryMb reconfigures the whole server: only on a Redis the harness started (not --redis URL)', { maxMemoryMb });
  }
  for (const node of await mastersOf(admin)) {
    await node.config('SET', 'maxmemory-policy', 'noeviction');
    await node.config('SET', 'maxmemory', `${maxMemoryMb}mb`);
  }
}
