/**
 * Collects a component's lifecycle events and lets a test (or a test handler) wait for the
 * core's own signals — "the lease of this task was renewed 10 times" — instead of sleeping.
 */
import type { LifecycleEvent } from '../../src/events.js';

type Match = (e: LifecycleEvent) => boolean;

export class EventWatch {
  readonly events: LifecycleEvent[] = [];
  private waiters: { match: Match; count: number; resolve: (ok: boolean) => void; seen: number }[] = [];

  /** The sink to give to workers and orchestrators. */
  readonly sink = (e: LifecycleEvent): void => {
    this.events.push(e);
    for (const w of [...this.waiters]) {
      if (!w.match(e)) continue;
      w.seen += 1;
      if (w.seen >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(true);
      }
    }
  };

  count(match: Match): number {
    return this.events.filter(match).length;
  }

  /**
   * Resolves true once `count` more matching events have arrived (from now on), or false after
   * `fallbackMs` — the fallback only lets a broken core's test end; assertions decide.
   */
  next(match: Match, count: number, fallbackMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const w = { match, count, seen: 0, resolve: (ok: boolean) => { clearTimeout(t); resolve(ok); } };
      const t = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      }, fallbackMs);
      this.waiters.push(w);
    });
  }

  /** Like `next`, but counts matching events already seen too. */
  atLeast(match: Match, count: number, fallbackMs: number): Promise<boolean> {
    const have = this.count(match);
    if (have >= count) return Promise.resolve(true);
    return this.next(match, count - have, fallbackMs);
  }
}

export const ofType = (type: LifecycleEvent['type'], filter: Partial<LifecycleEvent> = {}): Match =>
  (e) => e.type === type && Object.entries(filter).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v);
