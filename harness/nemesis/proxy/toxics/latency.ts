/**
 * `latency`: delays every chunk by `latency` ± `jitter` ms, counted from when the chunk reached
 * the proxy (as Toxiproxy does, so a burst is delayed once, not once per chunk). Chunks stay
 * in order: one drawn shorter than its predecessor's delay goes right after it.
 */
import { z } from 'zod';
import { defineToxic, durationMs, pause } from '../toxic.js';

export const latencyToxic = defineToxic({
  type: 'latency',
  attributes: z
    .object({
      /** Milliseconds added to every chunk. */
      latency: durationMs,
      /** Up to this many ms more or less, drawn per chunk (default 0). */
      jitter: durationMs.default(0),
    })
    .strict(),
  create({ latency, jitter }, ctx) {
    return {
      async pipe(chunk, next) {
        const offset = jitter > 0 ? (ctx.random() * 2 - 1) * jitter : 0;
        const wait = chunk.at + latency + offset - performance.now();
        await pause(Math.ceil(wait), ctx.signal);
        await next(chunk);
      },
    };
  },
});
