/**
 * Task executions from the ledger: each start record paired with the next end record of the
 * same experiment, task, attempt and worker; and whether a fault of the nemesis excuses one.
 */
import { compareIds, type LedgerRecord } from '../ledger-read.js';
import type { FaultRecord } from './types.js';

export interface Execution {
  experiment: string;
  stage: string;
  index: number;
  attempt: number;
  worker: string;
  start: LedgerRecord;
  end: LedgerRecord | null;
}

const execKey = (r: LedgerRecord) => `${r.experiment}\u0000${r.stage}\u0000${r.index}\u0000${r.attempt}\u0000${r.worker}`;
export const taskKey = (experiment: string, stage: string, index: number) => `${experiment}\u0000${stage}\u0000${index}`;

/** Executions in the order they started. An end without a start is ignored here (see the ledger check). */
export function executionsOf(records: readonly LedgerRecord[]): Execution[] {
  const open = new Map<string, Execution[]>();
  const out: Execution[] = [];
  for (const r of records) {
    if (r.type === 'start') {
      const e: Execution = { experiment: r.experiment, stage: r.stage, index: r.index, attempt: r.attempt, worker: r.worker, start: r, end: null };
      out.push(e);
      const list = open.get(execKey(r)) ?? [];
      list.push(e);
      open.set(execKey(r), list);
    } else if (r.type === 'end') {
      const e = open.get(execKey(r))?.shift();
      if (e) e.end = r;
    }
  }
  return out;
}

/** Executions grouped by task (experiment, stage, index), in start order. */
export function byTask(execs: readonly Execution[]): Map<string, Execution[]> {
  const m = new Map<string, Execution[]>();
  for (const e of execs) {
    const k = taskKey(e.experiment, e.stage, e.index);
    const list = m.get(k) ?? [];
    list.push(e);
    m.set(k, list);
  }
  return m;
}

/**
 * The fault that excuses an execution, or null: its worker was killed or exited (any time: a
 * worker id names one process instance), or paused before the execution ended — an execution
 * that started before the matching resume.
 */
export function excuse(e: Execution, faults: readonly FaultRecord[]): FaultRecord | null {
  for (const f of faults) {
    if (f.target !== e.worker) continue;
    if (f.kind === 'kill' || f.kind === 'exit') return f;
    if (f.kind === 'pause') {
      const resume = faults.find((g) => g.kind === 'resume' && g.target === f.target && g.atMs >= f.atMs);
      if (!resume?.ledgerId || compareIds(e.start.id, resume.ledgerId) <= 0) return f;
    }
  }
  return null;
}

export function faultWord(f: FaultRecord): string {
  return f.kind === 'kill' ? 'killed' : f.kind === 'exit' ? 'exited' : 'paused';
}

/** The ok end records of a task's executions. */
export function okEnds(execs: readonly Execution[]): Execution[] {
  return execs.filter((e) => e.end?.ok === true);
}
