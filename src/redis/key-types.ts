/**
 * Start-up check of the keys a component will use: a key of the wrong type (a list where a
 * stream belongs, or the reverse) stops the component with a typed error naming the key, its
 * type and the expected type, instead of a crash loop on WRONGTYPE.
 */
import type { Redis } from 'ioredis';
import { KeyTypeError } from '../errors.js';

export type RedisType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

export interface ExpectedKey {
  key: string;
  type: RedisType;
}

export async function assertKeyTypes(redis: Redis, expected: readonly ExpectedKey[]): Promise<void> {
  if (expected.length === 0) return;
  // one TYPE per key (auto-pipelined): on a Redis Cluster the keys live on different masters
  const results = await Promise.all(expected.map((e) => redis.type(e.key)));
  expected.forEach((e, i) => {
    const actual = results[i] ?? 'none';
    if (actual !== 'none' && actual !== e.type) throw new KeyTypeError(e.key, String(actual), e.type);
  });
}
