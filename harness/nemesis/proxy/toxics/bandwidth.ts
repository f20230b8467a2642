/**
 * `bandwidth`: limits a direction to `rate` KB/s (1 KB = 1000 bytes, as in Toxiproxy). Large
 * chunks go out in pieces of 100 ms worth of data; the pacing uses an absolute clock, so timer
 * overshoot does not add up. `rate: 0` means no limit (Toxiproxy's behaviour).
 */
import { z } from 'zod';
import { defineToxic, pause } from '../toxic.js';

export const bandwidthToxic = defineToxic({
  type: 'bandwidth',
  attributes: z
    .object({
      /** Kilobytes per second; 0 = unlimited. */
      rate: z.number().finite().min(0),
    })
    .strict(),
  create({ rate }, ctx) {
    /** When the link is next free (ms, performance.now()). */
    let clock = 0;
    const pieceSize = Math.max(1, Math.floor(rate * 100));
    return {
      async pipe(chunk, next) {
        if (rate <= 0) return next(chunk);
        const { data, at } = chunk;
        for (let off = 0; off < data.length; off += pieceSize) {
          if (ctx.signal.aborted) return next({ data: data.subarray(off), at });
          const piece = data.subarray(off, off + pieceSize);
          // rate KB/s is rate bytes per ms.
          clock = Math.max(clock, performance.now()) + piece.length / rate;
          await pause(Math.ceil(clock - performance.now()), ctx.signal);
          await next({ data: piece, at });
        }
      },
    };
  },
});
