/**
 * Every task's effect exactly once and no duplicate or overlapping execution: a task that ended
 * ok twice, two executions of a task in progress at once, or an execution that started and never
 * ended — unless the nemesis killed or paused that execution's worker (or it exited by itself).
 */
import { compareIds, ledgerSpan, taskName } from '../ledger-read.js';
import { byTask, excuse, executionsOf, type Execution } from './executions.js';
import type { CheckInput } from './types.js';

const ids = (es: readonly Execution[]) => es.flatMap((e) => (e.end ? [e.start.id, e.end.id] : [e.start.id]));
const times = (n: number) => (n === 2 ? 'twice' : `${n} times`);

/** b started before a ended (a had ended: an execution that never ended is reported on its own). */
function overlapping(a: Execution, b: Execution): boolean {
  return a.end !== null && compareIds(b.start.id, a.end.id) < 0;
}

function taskLines(execs: readonly Execution[], input: CheckInput, ended: Set<string>): string[] {
  const first = execs[0]!;
  const name = `${taskName(first.stage, first.index)} of ${first.experiment}`;
  const guilty = execs.filter((e) => !excuse(e, input.faults));
  const out: string[] = [];
  const oks = guilty.filter((e) => e.end?.ok);
  if (oks.length > 1) {
    out.push(`${name}: ended ok ${times(oks.length)} (workers ${oks.map((e) => e.worker).join(', ')}), ${oks.length === 2 ? 'neither' : 'none'} killed nor paused ${ledgerSpan(ids(oks))}`);
  }
  for (let i = 1; i < guilty.length; i++) {
    const a = guilty[i - 1]!;
    const b = guilty[i]!;
    if (overlapping(a, b)) {
      out.push(`${name}: executed twice at once (attempt ${a.attempt} by ${a.worker}, attempt ${b.attempt} by ${b.worker}), neither killed nor paused ${ledgerSpan(ids([a, b]))}`);
    }
  }
  if (ended.has(first.experiment)) {
    for (const e of guilty.filter((x) => x.end === null)) {
      out.push(`${name}: attempt ${e.attempt} started by ${e.worker} never ended, and that worker was neither killed nor paused ${ledgerSpan([e.start.id])}`);
    }
  }
  return out;
}

export function exactlyOnceCheck(input: CheckInput): string[] {
  const ended = new Set(input.experiments.filter((e) => e.wait.status === 'completed' || e.wait.status === 'failed').map((e) => e.experiment));
  const out: string[] = [];
  for (const execs of byTask(executionsOf(input.records)).values()) out.push(...taskLines(execs, input, ended));
  return out;
}
