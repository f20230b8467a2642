/**
 * Counts free task slots of one worker on one shard. The count never goes below zero: every
 * delivery a worker processes holds a slot it took before asking Redis for work (a claim, or a
 * reclaim of entries idle past the visibility timeout asks for at most the free slots), so at
 * most `size` handlers run at once whatever the reclaim pattern.
 */
export class Slots {
  private free: number;
  private waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  get inUse(): number {
    return this.size - this.free;
  }

  /** Waits until at least one slot is free, then takes up to `n` (at least 1). */
  async acquire(n: number): Promise<number> {
    while (this.free <= 0) await new Promise<void>((r) => this.waiters.push(r));
    return this.take(n);
  }

  /** Takes up to `n` free slots without waiting; 0 when none is free. */
  tryAcquire(n: number): number {
    return this.free <= 0 ? 0 : this.take(n);
  }

  private take(n: number): number {
    const got = Math.max(0, Math.min(n, this.free));
    this.free -= got;
    return got;
  }

  release(n = 1): void {
    if (n <= 0) return;
    this.free = Math.min(this.size, this.free + n);
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Resolves when every slot is free. */
  async drained(): Promise<void> {
    while (this.free < this.size) await new Promise<void>((r) => this.waiters.push(r));
  }
}
