/**
 * Coalesces the loads a worker starts in one turn of the event loop — the deliveries one claim
 * handed over — into one load-task.lua call per shard (all keys of a shard share one hash
 * tag, so one Redis Cluster slot). Each caller gets its own task's answer, as if it had called
 * the script alone. A batch refused as a whole (a key of the wrong type, an out-of-memory
 * refusal, an outage) is sent again task by task, so only what concerns one task fails its
 * load and no other.
 */
import type { Redis } from 'ioredis';
import { runScript } from '../lua/scripts.js';

/** One task's answer from load-task.lua (see its header). */
export type LoadAnswer = [string, string | null, string | null, string, number?, ...(string | null)[]] | null;

interface Pending {
  keys: readonly string[];
  index: number;
  resolve(answer: LoadAnswer): void;
  reject(err: unknown): void;
}

class LoadBatcher {
  private readonly queued = new Map<string, Pending[]>();

  constructor(private readonly redis: Redis) {}

  load(shard: number, keys: readonly string[], index: number, most: number): Promise<LoadAnswer> {
    return new Promise((resolve, reject) => {
      const at = `${shard}|${most}`;
      let batch = this.queued.get(at);
      if (!batch) {
        this.queued.set(at, (batch = []));
        queueMicrotask(() => this.flush(at, most));
      }
      batch.push({ keys, index, resolve, reject });
    });
  }

  private flush(at: string, most: number): void {
    const batch = this.queued.get(at) ?? [];
    this.queued.delete(at);
    this.send(batch, most).then(
      (answers) => batch.forEach((p, i) => p.resolve(answers[i] ?? null)),
      (err: unknown) => {
        if (batch.length === 1) return batch[0].reject(err);
        for (const p of batch) this.send([p], most).then((a) => p.resolve(a[0] ?? null), p.reject);
      },
    );
  }

  private send(batch: readonly Pending[], most: number): Promise<LoadAnswer[]> {
    return runScript<LoadAnswer[]>(this.redis, 'load-task', batch.flatMap((p) => p.keys), [most, ...batch.map((p) => p.index)]);
  }
}

const batchers = new WeakMap<Redis, LoadBatcher>();

/**
 * Loads one task through load-task.lua: `keys` are its four keys (task data, experiment,
 * stage results, artifacts), `index` its task index, `most` the most inputs read inline.
 */
export function loadTaskBatched(redis: Redis, shard: number, keys: readonly string[], index: number, most: number): Promise<LoadAnswer> {
  let b = batchers.get(redis);
  if (!b) batchers.set(redis, (b = new LoadBatcher(redis)));
  return b.load(shard, keys, index, most);
}
