/**
 * `slicer`: cuts every chunk into pieces of about `average_size` ± `size_variation` bytes and
 * waits `delay` µs between them. Sub-millisecond delays are accumulated and slept in whole
 * milliseconds; in between, the proxy yields to the event loop so pieces leave separately.
 */
import { z } from 'zod';
import { randomInt } from '../../../util/random.js';
import { MAX_TIMER_MS, defineToxic, pause, yieldToLoop } from '../toxic.js';

export const slicerToxic = defineToxic({
  type: 'slicer',
  attributes: z
    .object({
      /** Mean size of a piece in bytes. */
      average_size: z.number().int().min(1),
      /** Pieces are average_size ± this many bytes (default 0). */
      size_variation: z.number().int().min(0).default(0),
      /** Microseconds between pieces (default 0). */
      delay: z.number().finite().min(0).max(MAX_TIMER_MS * 1000).default(0),
    })
    .strict(),
  create({ average_size: average, size_variation: variation, delay }, ctx) {
    let owedUs = 0;
    return {
      async pipe(chunk, next) {
        const { data, at } = chunk;
        let off = 0;
        while (off < data.length) {
          if (ctx.signal.aborted) return next({ data: data.subarray(off), at });
          const drawn = variation > 0 ? randomInt(ctx.random, average - variation, average + variation) : average;
          const size = Math.min(Math.max(1, drawn), data.length - off);
          await next({ data: data.subarray(off, off + size), at });
          off += size;
          if (off >= data.length) break;
          owedUs += delay;
          if (owedUs >= 1000) {
            const ms = Math.floor(owedUs / 1000);
            owedUs -= ms * 1000;
            await pause(ms, ctx.signal);
          } else {
            await yieldToLoop();
          }
        }
      },
    };
  },
});
