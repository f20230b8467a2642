/**
 * `timeout`: a blackhole. No data gets through this direction; with `timeout` > 0 the
 * connection is closed (FIN) that many ms after the toxic took effect on it, with 0 it stays
 * open. Unlike Toxiproxy, which drops the data, held data is delivered once the toxic is
 * removed: like a healed partition, where TCP would retransmit, and a Redis client's reply
 * queue stays in step with the server.
 */
import { z } from 'zod';
import { defineToxic, durationMs, untilAborted } from '../toxic.js';

export const timeoutToxic = defineToxic({
  type: 'timeout',
  attributes: z
    .object({
      /** Milliseconds before the connection is closed; 0 = never (default 0). */
      timeout: durationMs.default(0),
    })
    .strict(),
  create({ timeout }, ctx) {
    if (timeout > 0) {
      const timer = setTimeout(() => ctx.closeConnection(), timeout);
      timer.unref();
      ctx.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }
    return {
      async pipe(chunk, next) {
        await untilAborted(ctx.signal);
        await next(chunk);
      },
    };
  },
});
