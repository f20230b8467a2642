/**
 * Dedicated connections for blocking waits, reused between waits. A blocked connection can
 * serve no one else, so concurrent waits each take their own.
 */
import type { Redis } from 'ioredis';

export class BlockingPool {
  private readonly idle: Redis[] = [];
  private closed = false;

  constructor(private readonly create: () => Promise<Redis>, private readonly destroy: (c: Redis) => void) {}

  async use<T>(fn: (c: Redis) => Promise<T>): Promise<T> {
    const c = this.idle.pop() ?? (await this.create());
    let healthy = true;
    try {
      return await fn(c);
    } catch (err) {
      healthy = false;
      throw err;
    } finally {
      if (healthy && !this.closed) this.idle.push(c);
      else this.destroy(c);
    }
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) this.destroy(c);
  }
}
