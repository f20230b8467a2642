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
 * (runtime.ts), and `durableWrites: 'replicas'` components do not share (WAIT blocks the
 * connection it runs on). The connection is made, checked and (on a cluster node) swapped for a
 * Cluster client once, by the first component that starts; it closes when the last component
 * sharing it closes.
 */
import type { ClientHandle } from './client-handle.js';

interface Entry {
  handle: ClientHandle;
  refs: number;
  /** the first start's connect (reset when it fails, so a later start tries again) */
  ready?: Promise<void>;
}

const entries = new Map<string, Entry>();

export interface SharedLease {
  readonly handle: ClientHandle;
  /** Runs `connect` once for every component sharing the connection; the others wait for it. */
  ready(connect: () => Promise<void>): Promise<void>;
  /** Gives the lease back; true when it was the last one (the caller closes the connection). */
  release(): boolean;
}

/** A lease on the shared connection for `key` (URL and connection options), made by `make` when none is open. */
export function leaseSharedClient(key: string, make: () => ClientHandle): SharedLease {
  let entry = entries.get(key);
  if (!entry) entries.set(key, (entry = { handle: make(), refs: 0 }));
  entry.refs += 1;
  const e = entry;
  let released = false;
  return {
    handle: e.handle,
    ready(connect) {
      if (!e.ready) {
        e.ready = connect();
        e.ready.catch(() => { e.ready = undefined; });
      }
      return e.ready;
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
