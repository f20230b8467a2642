/**
 * Lease lapses seen in the history. A worker holds a task by its lease, renewed every quarter
 * lease while the task is in hand (`lease-renewed` events); a worker the machine stalls past a
 * whole lease (a starved process, a long GC — a pause nobody injected) loses the task to
 * another worker by design. The history proves such a stall: no claim and no renewal of the
 * task by that process for more than a lease before the other worker took it. A worker that
 * renews (or says it does) is never excused.
 */
import type { History } from '../history/types.js';

export interface HoldIndex {
  /** times at which each process showed it held each task (its claim, its renewals), by `pid|taskId` */
  byTask: Map<string, number[]>;
  /** times of every event of each process: a stalled process records nothing */
  byPid: Map<number, number[]>;
  /** the earliest counted completion of each task by each process, by `pid|taskId` */
  completedAt: Map<string, number>;
}

export function indexHolds(history: History): HoldIndex {
  const byTask = new Map<string, number[]>();
  const byPid = new Map<number, number[]>();
  const completedAt = new Map<string, number>();
  const push = <K>(m: Map<K, number[]>, k: K, t: number) => {
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  };
  for (const e of history) {
    push(byPid, e.pid, e.ts);
    if (!e.taskId) continue;
    const key = `${e.pid}|${e.taskId}`;
    if (e.type === 'claimed' || e.type === 'lease-renewed') push(byTask, key, e.ts);
    else if (e.type === 'completed') completedAt.set(key, Math.min(completedAt.get(key) ?? Infinity, e.ts));
  }
  for (const list of byTask.values()) list.sort((a, b) => a - b);
  for (const list of byPid.values()) list.sort((a, b) => a - b);
  return { byTask, byPid, completedAt };
}

/**
 * The silence (ms) of `pid` on `taskId` before `at`, when the process stalled past `leaseMs`
 * meanwhile: it last showed it held the task longer than a lease ago, and somewhere since then
 * it recorded nothing at all for longer than three quarters of a lease — renewals come every
 * quarter, so such a silence after one lets the lease lapse (a process that kept renewing its other
 * tasks was live: it lost this one some other way); else null.
 */
export function lapseBefore(holds: HoldIndex, pid: number, taskId: string, at: number, leaseMs: number | undefined): number | null {
  if (!leaseMs) return null;
  const list = holds.byTask.get(`${pid}|${taskId}`);
  if (!list || list.length === 0) return null;
  let last = -Infinity;
  for (const t of list) if (t <= at) last = t;
  if (last === -Infinity || at - last <= leaseMs) return null;
  let prev = last;
  let gap = 0;
  for (const t of holds.byPid.get(pid) ?? []) {
    if (t <= last || t > at) continue;
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  gap = Math.max(gap, at - prev);
  // renewals come every quarter lease: a silence of three quarters after one lets the lease lapse
  return gap > (leaseMs * 3) / 4 ? at - last : null;
}
