/**
 * `reset_peer`: when data next comes through, waits `timeout` ms (0 = not at all) and then
 * destroys both sides of the connection with a TCP RST, as Toxiproxy does: peers see
 * ECONNRESET. The triggering data (and anything queued behind it) is never delivered. If the
 * toxic is removed during the wait, the data is passed on and no reset happens.
 */
import { z } from 'zod';
import { defineToxic, durationMs, pause } from '../toxic.js';

export const resetPeerToxic = defineToxic({
  type: 'reset_peer',
  attributes: z
    .object({
      /** Milliseconds between the data arriving and the reset (default 0). */
      timeout: durationMs.default(0),
    })
    .strict(),
  create({ timeout }, ctx) {
    return {
      async pipe(chunk, next) {
        if (ctx.signal.aborted) return next(chunk);
        await pause(timeout, ctx.signal);
        if (ctx.signal.aborted) return next(chunk);
        ctx.resetConnection();
      },
    };
  },
});
