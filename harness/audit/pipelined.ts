/** One command per item, sent in pipelined batches of 500; an item whose command failed gives null. */
import type { Redis } from 'ioredis';

const BATCH = 500;

export async function pipelined<T, I = string>(redis: Redis, items: readonly I[], add: (p: ReturnType<Redis['pipeline']>, item: I) => void): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    const p = redis.pipeline();
    for (const item of items.slice(i, i + BATCH)) add(p, item);
    for (const [err, value] of (await p.exec()) ?? []) out.push((err ? null : value) as T);
  }
  return out;
}
