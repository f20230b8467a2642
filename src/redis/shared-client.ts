/**
 * One command connection per process for the components that ask to share it (option
 * `shareConnection`, default true): the orchestrator and the workers a process runs against the
 * same Redis, with the same timeouts, send their commands through one auto-pipelined ioredis
 * client. Commands the components issue in the same event-loop turn then leave in one socket
 * write and their replies come back in one read — on loopback each write also runs the TCP
 * path on the sender's CPU, about half of a worker's Node CPU before (issue 16: 12 → 7 socket
 * writes and ~22% less Node CPU per experiment in bench/census.ts).
 *
 * Only ordinary commands go through it: blocking reads keep their dedicated connections
 * (runtime.ts), `durableWrites: 'replicas'` components do not share (WAIT blocks the
 * connection it runs on), and neither do the components of a Redis Cluster (each keeps its own
 * Cluster client, as before: the first start finds the URL names a cluster node and every
 * component leaves the shared connection for its own). The connection is made and checked once,
 * by the first component that starts; it closes when the last component sharing it closes.
 */
import type { Redis } from 'ioredis';

interface Entry {
  client: Redis;
  refs: number;
  /** the first start's connect and its answer (reset when it fails, so a later start tries again) */
  ready?: Promise<unknown>;
}

const entries = new Map<string, Entry>();

export interface SharedLease {
  readonly client: Redis;
  /** Runs `connect` once for every component sharing the connection; the others wait for its answer. */
  ready<T>(connect: () => Promise<T>): Promise<T>;
  /** Gives the lease back; true when it was the last one (the caller closes the connection). */
  release(): boolean;
}

/** A lease on the shared connection for `key` (URL and connection options), made by `make` when none is open. */
export function leaseSharedClient(key: string, make: () => Redis): SharedLease {
  let entry = entries.get(key);
  if (!entry) entries.set(key, (entry = { client: make(), refs: 0 }));
  entry.refs += 1;
  const e = entry;
  let released = false;
  return {
    client: e.client,
    ready<T>(connect: () => Promise<T>): Promise<T> {
      if (!e.ready) {
        e.ready = connect();
        e.ready.catch(() => { e.ready = undefined; });
      }
      return e.ready as Promise<T>;
    },
    release() {
      if (released) return false;
      released = true;
      e.refs -= 1;
      if (e.refs > 0) return false;
      if (entries.get(key) === e) entries.delete(key);
      return true;
    },
  };
}
