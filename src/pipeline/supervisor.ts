/**
 * Enforces stage timeouts from an orchestrator: a periodic deadline sweep (deadline-sweep.ts;
 * every worker's maintenance runs the same sweep, so deadlines hold without an orchestrator),
 * followed by the retirement of ended experiments (retire.ts).
 * The deadlines live in Redis (a zset per shard), so a restarted orchestrator, or any of
 * several, picks them up; the expire script makes a double expiry a no-op.
 */
import type { EventSink } from '../events.js';
import type { Runtime } from '../runtime.js';
import { sinkEmitter, sweepDeadlines } from './deadline-sweep.js';
import { sweepEnded } from './retire.js';

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
        .then(() => sweepEnded(this.runtime, sinkEmitter(this.sink, 'supervisor'), (e) => void this.errors.push(e)))
        .then(() => undefined)
        .catch((err) => void this.errors.push(err))
        .finally(() => this.schedule(this.intervalMs));
    }, delay);
  }

  /**
   * One pass over every shard (at Redis's TIME unless `at` is given); returns the ids of the
   * experiments whose overdue stage it ended.
   */
  async sweep(at?: number): Promise<string[]> {
    return sweepDeadlines(this.runtime, at, this.runtime.options.maxStreamLength, sinkEmitter(this.sink, 'supervisor'), (e) => void this.errors.push(e));
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.sweeping;
  }
}
