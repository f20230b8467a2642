/**
 * The child side of `fanin worker --processes N`: a pool child tells its parent when its worker
 * has started (over the IPC channel fork() opened), and stops like on SIGTERM when that channel
 * closes (the parent is gone), so a pool never leaves orphan workers behind.
 */

/** Set (to the child's 1-based number) in the environment of every pool child. */
export const POOL_CHILD_ENV = 'FANIN_WORKER_POOL_CHILD';

/** The control message a child sends once its worker consumes. */
export interface PoolReady {
  faninPool: 'ready';
  workerId: string;
  pid: number;
}

export function isPoolReady(m: unknown): m is PoolReady {
  return typeof m === 'object' && m !== null && (m as { faninPool?: unknown }).faninPool === 'ready';
}

export function isPoolChild(): boolean {
  return process.env[POOL_CHILD_ENV] !== undefined && typeof process.send === 'function';
}

export function announcePoolReady(workerId: string): void {
  if (isPoolChild()) process.send!({ faninPool: 'ready', workerId, pid: process.pid } satisfies PoolReady);
}

/** Resolves when the parent's IPC channel closes (never, outside a pool). */
export function parentGone(): Promise<string> {
  if (!isPoolChild()) return new Promise(() => undefined);
  return new Promise((resolve) => process.once('disconnect', () => resolve('parent gone')));
}
