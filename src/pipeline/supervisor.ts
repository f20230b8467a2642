/**
 * Enforces stage timeouts: experiments whose current stage passed its deadline are failed
 * with the cause. The deadlines live in Redis (a zset per shard), so a restarted orchestrator,
 * or any of several, picks them up; the expire script makes a double expiry a no-op.
 */
import type { EventSink } from '../events.js';
import { now } from '../events.js';
import { runScript } from '../lua/scripts.js';
import type { Runtime } from '../runtime.js';

export class Supervisor {
  private timer?: NodeJS.Timeout;
  private running = false;
  private sweeping?: Promise<void>;
  readonly errors: unknown[] = [];

  constructor(private readonly runtime: Runtime, private readonly intervalMs: number, private readonly sink?: EventSink) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        .then(() => undefined)
        .catch((err) => void this.errors.push(err))
        .finally(() => this.schedule(this.intervalMs));
    }, delay);
  }

  /** One pass over every shard; returns the ids of the experiments it failed. */
  async sweep(at = Date.now()): Promise<string[]> {
    const { keys, redis, transport } = this.runtime;
    const expired: string[] = [];
    for (const shard of keys.shardIds()) {
      const due = await redis.zrangebyscore(keys.deadlines(shard), '-inf', at, 'LIMIT', 0, 200);
      for (const id of due) {
        const r = await runScript<string>(redis, 'expire-experiment', [keys.experiment(id), keys.deadlines(shard), keys.done(id)], [
          transport.luaMode, id, at,
        ]);
        if (r === 'expired') {
          expired.push(id);
          if (this.sink) this.sink({ type: 'experiment-failed', ts: now(), pid: process.pid, component: 'supervisor', experimentId: id, cause: 'stage timed out' });
        }
      }
    }
    return expired;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.sweeping;
  }
}
