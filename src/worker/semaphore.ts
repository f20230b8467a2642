/** Counts free task slots; `acquire` waits until at least one is free and takes up to `n`. */
export class Slots {
  private free: number;
  private waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  get inUse(): number {
    return this.size - this.free;
  }

  async acquire(n: number): Promise<number> {
    while (this.free === 0) await new Promise<void>((r) => this.waiters.push(r));
    const got = Math.min(n, this.free);
    this.free -= got;
    return got;
  }

  /** Takes one slot even when none is free (for reclaimed work that is already ours). */
  force(): void {
    this.free -= 1;
  }

  release(n = 1): void {
    this.free += n;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Resolves when every slot is free. */
  async drained(): Promise<void> {
    while (this.free < this.size) await new Promise<void>((r) => this.waiters.push(r));
  }
}
