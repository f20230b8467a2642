/**
 * A stable handle on a connection that may be replaced once: the runtime creates a plain
 * client in its constructor and, when start() finds that the URL names a Redis Cluster node,
 * swaps in a Cluster client. Components may have kept `runtime.redis` before start(); the
 * handle forwards every property and call to the current client, so they use the new one.
 */
import type { Redis } from 'ioredis';

export interface ClientHandle {
  /** forwards to the current client */
  readonly client: Redis;
  current(): Redis;
  /** replaces the client (the caller disconnects the old one) */
  swap(next: Redis): void;
}

export function clientHandle(initial: Redis): ClientHandle {
  let current = initial;
  // bound methods of the current client, made once per method (the hot path of every command)
  let bound = new Map<PropertyKey, { fn: unknown; bound: unknown }>();
  const client = new Proxy({} as Redis, {
    get(_t, prop) {
      const v: unknown = Reflect.get(current, prop, current);
      if (typeof v !== 'function') return v;
      const hit = bound.get(prop);
      if (hit && hit.fn === v) return hit.bound;
      const b = (v as (...a: unknown[]) => unknown).bind(current);
      bound.set(prop, { fn: v, bound: b });
      return b;
    },
    set(_t, prop, value) {
      return Reflect.set(current, prop, value, current);
    },
    has(_t, prop) {
      return Reflect.has(current, prop);
    },
  });
  return {
    client,
    current: () => current,
    swap: (next) => {
      current = next;
      bound = new Map();
    },
  };
}
