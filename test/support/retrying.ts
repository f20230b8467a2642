/**
 * Calls `fn` until it resolves, for at most `withinMs`, pausing `pauseMs` between tries; an
 * error that `retryable` refuses (or one after the deadline) is thrown at once. For cluster
 * tests whose commands fail while slots move (a failover, a migration).
 */
export async function retrying<T>(fn: () => Promise<T>, withinMs: number, opts: { pauseMs?: number; retryable?: (err: unknown) => boolean } = {}): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline || (opts.retryable && !opts.retryable(err))) throw err;
      await new Promise((r) => setTimeout(r, opts.pauseMs ?? 250));
    }
  }
}
