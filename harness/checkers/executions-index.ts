/**
 * Agent executions and fault effects, read from a history: each `agent-started` paired with
 * its `agent-ended` (same process, task and attempt, in order), and every process the nemesis
 * killed or paused (its structured records). Memoised per history like the history index.
 */
import type { AgentOutcome, FaultEffects, History, HistoryEvent, NemesisRecord } from '../history/types.js';
import { parseTaskId } from './history-index.js';

export interface Execution {
  taskId: string;
  experimentId: string;
  stageIndex: number;
  stage?: string;
  attempt: number;
  pid: number;
  /** the worker that claimed the task last before the execution started, in its process */
  workerId?: string;
  /** when that claim was made (the start itself when the history holds no claim) */
  claimedAt: number;
  start: HistoryEvent;
  end?: HistoryEvent;
  outcome?: AgentOutcome;
  /** when it stopped running: its end, the kill of its process, or its process's last event */
  until: number;
}

export interface ExecutionIndex {
  /** by task id, each list in start order */
  byTask: Map<string, Execution[]>;
  count: number;
  killed: NonNullable<FaultEffects['killed']>;
  paused: NonNullable<FaultEffects['paused']>;
  /** cluster failovers (a master killed, its replica promoted) */
  failovers: NonNullable<FaultEffects['failover']>;
  /** every structured nemesis record, in history order */
  records: NemesisRecord[];
}

const cache = new WeakMap<History, ExecutionIndex>();

export function indexExecutions(history: History): ExecutionIndex {
  let idx = cache.get(history);
  if (!idx) {
    idx = build(history);
    cache.set(history, idx);
  }
  return idx;
}

function taskOf(e: HistoryEvent): { taskId: string; experimentId: string; stageIndex: number } | null {
  if (e.taskId) {
    const p = parseTaskId(e.taskId);
    return { taskId: e.taskId, experimentId: p?.experimentId ?? e.experimentId ?? '', stageIndex: p?.stageIndex ?? e.stageIndex ?? -1 };
  }
  if (e.experimentId && e.stageIndex !== undefined && e.index !== undefined) {
    return { taskId: `${e.experimentId}/${e.stageIndex}/${e.index}`, experimentId: e.experimentId, stageIndex: e.stageIndex };
  }
  return null;
}

function build(history: History): ExecutionIndex {
  const byTask = new Map<string, Execution[]>();
  const open = new Map<string, Execution[]>();
  const lastOfPid = new Map<number, number>();
  const lastClaim = new Map<string, { workerId?: string; ts: number }>();
  const records: NemesisRecord[] = [];
  const all: Execution[] = [];
  for (const e of history) {
    lastOfPid.set(e.pid, Math.max(lastOfPid.get(e.pid) ?? -Infinity, e.ts));
    if (e.type === 'nemesis' && e.fault) records.push(e.fault);
    if (e.type === 'claimed' && e.taskId) lastClaim.set(`${e.pid}|${e.taskId}`, { workerId: e.workerId, ts: e.ts });
    if (e.type !== 'agent-started' && e.type !== 'agent-ended') continue;
    const t = taskOf(e);
    if (!t) continue;
    const key = `${e.pid}|${t.taskId}|${e.attempt ?? 0}`;
    if (e.type === 'agent-started') {
      const claim = lastClaim.get(`${e.pid}|${t.taskId}`);
      const x: Execution = { ...t, stage: e.stage, attempt: e.attempt ?? 0, pid: e.pid, workerId: claim?.workerId, claimedAt: claim?.ts ?? e.ts, start: e, until: Infinity };
      all.push(x);
      open.set(key, [...(open.get(key) ?? []), x]);
      byTask.set(t.taskId, [...(byTask.get(t.taskId) ?? []), x]);
    } else {
      const x = open.get(key)?.shift();
      if (x) {
        x.end = e;
        x.outcome = e.outcome;
      }
    }
  }
  const killed = records.flatMap((r) => r.effects?.killed ?? []);
  const paused = records.flatMap((r) => r.effects?.paused ?? []);
  for (const x of all) {
    const kill = killed.find((k) => k.pid === x.pid && k.at >= x.start.ts);
    x.until = x.end?.ts ?? Math.min(kill?.at ?? Infinity, lastOfPid.get(x.pid) ?? x.start.ts);
  }
  const failovers = records.flatMap((r) => r.effects?.failover ?? []);
  return { byTask, count: all.length, killed, paused, failovers, records };
}

/** "pid 123 (w-analyse_batch-123-ab12)" */
export function whoRan(x: Execution): string {
  return x.workerId ? `pid ${x.pid} (${x.workerId})` : `pid ${x.pid}`;
}
