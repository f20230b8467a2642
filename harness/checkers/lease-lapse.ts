/**
 * Lease lapses seen in the history. A worker holds a task by its lease, renewed every quarter
 * lease while the task is in hand (`lease-renewed` events); a worker the machine stalls past a
 * whole lease (a starved process, a long GC — a pause nobody injected) loses the task to
 * another worker by design. The history proves such a stall: no claim and no renewal of the
 * task by that process for more than a lease before the other worker took it. A worker that
 * renews (or says it does) is never excused.
 */
import type { History } from '../history/types.js';

export type HoldIndex = Map<string, number[]>;

/** Times at which each process showed it held each task (its claim, its renewals), by `pid|taskId`. */
export function indexHolds(history: History): HoldIndex {
  const out: HoldIndex = new Map();
  for (const e of history) {
    if ((e.type !== 'claimed' && e.type !== 'lease-renewed') || !e.taskId) continue;
    const key = `${e.pid}|${e.taskId}`;
    const list = out.get(key) ?? [];
    list.push(e.ts);
    out.set(key, list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/**
 * The silence (ms) of `pid` on `taskId` before `at`, when it is longer than `leaseMs`: the
 * process last showed it held the task that long ago (it had stalled past its lease); else null.
 */
export function lapseBefore(holds: HoldIndex, pid: number, taskId: string, at: number, leaseMs: number | undefined): number | null {
  if (!leaseMs) return null;
  const list = holds.get(`${pid}|${taskId}`);
  if (!list || list.length === 0) return null;
  let last = -Infinity;
  for (const t of list) if (t <= at) last = t;
  if (last === -Infinity) return null;
  return at - last > leaseMs ? at - last : null;
}

/** The earliest counted completion of each task by each process, by `pid|taskId`. */
export function indexCompletions(history: History): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of history) {
    if (e.type !== 'completed' || !e.taskId) continue;
    const key = `${e.pid}|${e.taskId}`;
    out.set(key, Math.min(out.get(key) ?? Infinity, e.ts));
  }
  return out;
}
