/**
 * handling: what the scenario requires the system to do with what the nemesis did, declared as
 * data in its `expect` (harness/scenario/handling.ts) and verified against the nemesis record:
 *
 * - deadLettered 'every-injected-poison': every message a fault injected ends in the dead letter
 *   with a reason (a worker that acknowledges poison and drops it fails);
 * - redelivered 'every-task-of-killed-worker': every task a SIGKILLed worker held (claimed, not
 *   ended by its own events before the kill) is claimed again by another process and completed.
 *   A task Redis counted without any completion event was completed by the killed worker itself
 *   (its events died with it): nothing to redeliver.
 *
 * A requirement the run never exercised (nothing injected, no worker killed) is `unknown`.
 */
import type { HistoryEvent } from '../history/types.js';
import { messageIdentity } from '../history/message-identity.js';
import { indexExecutions, type ExecutionIndex } from './executions-index.js';
import { indexHistory, stageName, type HistoryIndex } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';
import { CROSS_CLOCK_TOLERANCE_MS } from './clocks.js';

/** A worker's own events that end its hold on a task. */
const ENDS = new Set<HistoryEvent['type']>(['completed', 'duplicate-ignored', 'retried', 'dead-lettered', 'cancelled']);

interface Finding {
  violations: Evidence[];
  notes: Evidence[];
  checked: number;
  unexercised?: string;
}

export const handlingChecker: Checker = {
  name: 'handling',
  description: "the system handled what the nemesis did as the scenario requires (poison dead-lettered with a reason, a killed worker's tasks redelivered and completed)",
  check(input: CheckerInput): CheckerResult {
    const req = input.expect.handling ?? {};
    const ex = indexExecutions(input.history);
    const findings: Finding[] = [];
    if (req.deadLettered === 'every-injected-poison') findings.push(deadLettered(input, ex));
    if (req.redelivered === 'every-task-of-killed-worker') findings.push(redelivered(input, ex, indexHistory(input.history)));
    const violations = findings.flatMap((f) => f.violations);
    const unexercised = findings.map((f) => f.unexercised).filter((x): x is string => !!x);
    const notes = [...unexercised.map((message) => ({ message })), ...findings.flatMap((f) => f.notes)];
    const checked = findings.reduce((n, f) => n + f.checked, 0);
    const valid = violations.length > 0 ? false : unexercised.length > 0 ? 'unknown' : true;
    const summary = findings.length === 0 ? 'nothing required by the scenario'
      : violations.length > 0 ? `${violations.length} requirement${violations.length === 1 ? '' : 's'} of the scenario not met`
        : valid === 'unknown' ? `not exercised: ${unexercised.join('; ')}`
          : `every requirement of the scenario met (${checked} checked)`;
    return { name: 'handling', valid, summary, evidence: [...violations, ...notes], metrics: { 'handling.violations': violations.length } };
  },
};

function deadLettered(input: CheckerInput, ex: ExecutionIndex): Finding {
  const injected = ex.records.flatMap((r) => (r.effects?.injected ?? []).map((m) => ({ ...m, fault: r.fault })));
  if (injected.length === 0) return { violations: [], notes: [], checked: 0, unexercised: 'deadLettered: no fault recorded an injected message' };
  const dead = new Map<string, HistoryEvent[]>();
  for (const e of input.history) {
    if (e.type !== 'dead-lettered' || !e.messageId) continue;
    const id = messageIdentity(e.messageId);
    dead.set(id, [...(dead.get(id) ?? []), e]);
  }
  const violations: Evidence[] = [];
  for (const m of injected) {
    const ds = dead.get(m.identity) ?? [];
    const withReason = ds.find((d) => (d.cause ?? '').trim() !== '');
    if (withReason) continue;
    violations.push({
      message: ds.length === 0
        ? `${m.fault} injected "${m.what}" into ${m.stage}: never dead-lettered (acknowledged and dropped, or still queued)`
        : `${m.fault} injected "${m.what}" into ${m.stage}: dead-lettered without a reason (seq ${ds[0].seq})`,
      stage: m.stage, seqs: ds.map((d) => d.seq),
    });
  }
  return { violations, notes: [], checked: injected.length };
}

/** Task ids the process held at `at`: claimed by it before, not ended by its own events before. */
function heldAt(history: readonly HistoryEvent[], pid: number, at: number): Map<string, HistoryEvent> {
  const held = new Map<string, HistoryEvent>();
  for (const e of history) {
    if (e.ts > at) break;
    if (e.pid !== pid || e.component !== 'worker' || !e.taskId) continue;
    if (e.type === 'claimed') held.set(e.taskId, e);
    else if (ENDS.has(e.type)) held.delete(e.taskId);
  }
  return held;
}

function redelivered(input: CheckerInput, ex: ExecutionIndex, idx: HistoryIndex): Finding {
  if (ex.killed.length === 0) return { violations: [], notes: [], checked: 0, unexercised: 'redelivered: no worker was killed' };
  const counted = new Map(input.health.experiments.map((x) => [x.id, x.counted ?? {}]));
  const violations: Evidence[] = [];
  const notes: Evidence[] = [];
  let checked = 0;
  for (const k of ex.killed) {
    for (const [taskId, claim] of heldAt(input.history, k.pid, k.at)) {
      checked++;
      const t = idx.tasks.get(taskId)!;
      const stage = stageName(input.expect.stages, t.stageIndex, t);
      const again = t.claimed.find((c) => c.pid !== k.pid && c.ts >= k.at - CROSS_CLOCK_TOLERANCE_MS);
      const done = t.completed[0];
      const inRedis = counted.get(t.experimentId)?.[t.stageIndex]?.includes(t.index) ?? false;
      const where = { experimentId: t.experimentId, stage, taskId };
      if (!done && inRedis && !again) {
        notes.push({ ...where, message: `task ${taskId} was completed by the killed pid ${k.pid} itself (Redis counted it; its events died with it)` });
      } else if (!again && !(done && done.ts < k.at)) {
        violations.push({ ...where, seqs: [claim.seq], message: `task ${taskId} (${stage}), held by pid ${k.pid} when it was killed, was never delivered to another worker` });
      } else if (!done && !inRedis) {
        violations.push({ ...where, seqs: [claim.seq, again!.seq], message: `task ${taskId} (${stage}), held by pid ${k.pid} when it was killed, was delivered again (seq ${again!.seq}) but never completed` });
      }
    }
  }
  if (checked === 0) notes.push({ message: `the killed worker${ex.killed.length === 1 ? '' : 's'} held no task when killed` });
  return { violations, notes, checked };
}
