import { TOXIC_TYPES } from './net-toxic-types.js';
import type { Fault } from '../types.js';
import { numberParam, sleep } from './process-faults.js';

/**
 * A network fault between the components and Redis, through the TCP proxy: a Toxiproxy-style
 * toxic (latency, bandwidth, reset_peer, timeout, slicer) for durationMs, then removed.
 * params: { toxic: { type, stream?, toxicity?, attributes }, durationMs }.
 */
export const netToxic: Fault = {
  name: 'net-toxic',
  description: 'add a toxic to the TCP proxy between components and Redis for durationMs',
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
