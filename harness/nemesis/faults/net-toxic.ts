import { TOXIC_TYPES } from './net-toxic-types.js';
import { z } from 'zod';
import { durationMs } from '../fault-params.js';
import type { Fault } from '../types.js';
import { parseToxicSpec } from '../proxy/toxic-spec.js';

/** The toxic, checked by the proxy's own schema when the scenario loads. */
function validToxic(toxic: unknown, ctx: z.RefinementCtx): void {
  try {
    parseToxicSpec(toxic);
  } catch (err) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: err instanceof Error ? err.message : String(err) });
  }
}
import { numberParam, sleep } from './process-faults.js';

/**
 * A network fault between the components and Redis, through the TCP proxy: a Toxiproxy-style
 * toxic (latency, bandwidth, reset_peer, timeout, slicer) for durationMs, then removed.
 * params: { toxic: { type, stream?, toxicity?, attributes }, durationMs }.
 */
export const netToxic: Fault = {
  name: 'net-toxic',
  description: 'add a toxic to the TCP proxy between components and Redis for durationMs',
  params: z.object({ toxic: z.unknown().superRefine(validToxic), durationMs: durationMs(2000), resetConnections: z.boolean().default(false) }).strict(),
  unsupported: (t, p) => {
    if (!t.proxy) return 'needs the TCP proxy between components and Redis (the scenario sets proxy: true)';
    const toxic = p.toxic as { type?: string } | undefined;
    if (!toxic || !TOXIC_TYPES.includes(String(toxic.type))) return `params.toxic.type must be one of ${TOXIC_TYPES.join(', ')}`;
    return null;
  },
  async invoke(t, p) {
    const spec = p.toxic as Parameters<NonNullable<typeof t.proxy>['addToxic']>[0];
    const ms = numberParam(p, 'durationMs', 2000);
    const name = t.proxy!.addToxic(spec);
    if (p.resetConnections === true) t.proxy!.resetAllConnections();
    await sleep(ms);
    t.proxy!.removeToxic(name);
    return `toxic ${JSON.stringify(spec)} on the Redis proxy for ${ms} ms`;
  },
  async teardown(t) {
    t.proxy?.clearToxics();
  },
};
