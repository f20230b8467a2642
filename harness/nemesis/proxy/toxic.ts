/**
 * What a toxic is to the proxy: a definition (type, zod schema of its attributes, factory) and,
 * per connection and direction, an instance that every chunk of that direction passes through.
 */
import { z } from 'zod';
import type { Rng } from '../../util/random.js';

/** Toxiproxy's names: `upstream` is client → Redis, `downstream` is Redis → client. */
export type StreamDirection = 'upstream' | 'downstream';

/** Bytes read from one side, with the time they arrived at the proxy (ms, `performance.now()`). */
export interface Chunk {
  readonly data: Buffer;
  readonly at: number;
}

/** Passes a chunk to the rest of the chain; resolves once the chunk has been written (or dropped). */
export type NextFn = (chunk: Chunk) => Promise<void>;

/** What a toxic instance may do to its connection. */
export interface ToxicContext {
  /** Aborted when the toxic leaves this connection (removed, or the connection closed). */
  readonly signal: AbortSignal;
  /** Seeded per proxy, connection and toxic name. */
  readonly random: Rng;
  /** Destroys both sides of the connection with a TCP RST. */
  resetConnection(): void;
  /** Closes both sides of the connection (FIN). */
  closeConnection(): void;
}

/** One toxic on one connection, in one direction. */
export interface ToxicInstance {
  /**
   * Handles one chunk: passes it (or pieces of it) on with `next`, possibly later, or drops it.
   * Chunks come one at a time, in order; the next chunk waits until this promise settles.
   * Once `signal` is aborted the toxic must stop delaying and pass data straight on.
   */
  pipe(chunk: Chunk, next: NextFn): Promise<void>;
}

export interface ToxicDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  readonly type: string;
  /** Schema of `attributes` (strict: unknown attributes are refused). */
  readonly attributes: S;
  create(attributes: z.output<S>, ctx: ToxicContext): ToxicInstance;
}

/** Largest delay setTimeout honours (about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/** A non-negative duration in milliseconds that a timer can wait. */
export const durationMs = z.number().finite().min(0).max(MAX_TIMER_MS);

/** Identity helper that keeps the attribute type of a definition. */
export function defineToxic<S extends z.ZodTypeAny>(def: ToxicDefinition<S>): ToxicDefinition<S> {
  return def;
}

/** Resolves after `ms` milliseconds, or at once when `signal` is aborted. Never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolves when `signal` is aborted (at once if it already is). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Yields to the event loop (lets sockets flush between pieces of a chunk). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
