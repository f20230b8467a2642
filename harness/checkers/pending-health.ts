/**
 * health: after a run the coordination state is quiescent — nothing pending or undelivered
 * in any consumer group, no processing list, stage queue or delayed-retry zset holds work,
 * no dead letters (unless the scenario expects them), every task key has a TTL, and no key has
 * the wrong type.
 */
import type { HealthSnapshot, ListHealth } from '../audit/health-types.js';
import { listSome } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';

export const healthChecker: Checker = {
  name: 'health',
  description: 'no pending, undelivered, queued, delayed or processing work is left; dead letters only when expected; task keys expire; key types are right',
  check(input: CheckerInput): CheckerResult {
    const h: HealthSnapshot = input.health;
    const evidence: Evidence[] = [];
    let invalid = false;
    let unknown = false;

    let pending = 0;
    let lag = 0;
    for (const g of h.groups) {
      pending += g.pending;
      if (g.pending > 0) {
        invalid = true;
        const holders = g.consumers.filter((c) => c.pending > 0).map((c) => `${c.name} (${c.pending}, idle ${Math.round(c.idleMs)} ms)`);
        evidence.push({ message: `group ${g.group} of ${g.stream} has ${g.pending} pending entr${g.pending === 1 ? 'y' : 'ies'}${holders.length ? `, held by ${listSome(holders)}` : ''}` });
      }
      if (g.lag === null) {
        unknown = true;
        evidence.push({ message: `group ${g.group} of ${g.stream}: Redis cannot tell its lag (undelivered entries unknown)` });
      } else if (g.lag > 0) {
        lag += g.lag;
        invalid = true;
        evidence.push({ message: `group ${g.group} of ${g.stream} has ${g.lag} undelivered entr${g.lag === 1 ? 'y' : 'ies'} (lag)` });
      }
    }

    const processing = nonEmpty(h.processingLists, 'processing list', evidence);
    const queued = nonEmpty(h.queues, 'stage queue', evidence);
    const delayed = nonEmpty(h.delayed, 'delayed-retry set', evidence);
    if (processing + queued + delayed > 0) invalid = true;

    let deadLetters = 0;
    for (const d of h.deadLetters) {
      if (d.length <= 0) continue;
      deadLetters += d.length;
      const reasons = new Map<string, number>();
      for (const e of d.entries) {
        const r = `${e.stage ? `${e.stage}: ` : ''}${e.reason ?? 'no reason'}`;
        reasons.set(r, (reasons.get(r) ?? 0) + 1);
      }
      const list = [...reasons].map(([r, n]) => (n > 1 ? `${r} (×${n})` : r));
      const tasks = d.entries.map((e) => e.task).filter((t): t is string => !!t);
      const expected = input.expect.deadLetterExpected ? ' (expected by the scenario)' : '';
      evidence.push({
        message: `dead letter ${d.key} holds ${d.length} entr${d.length === 1 ? 'y' : 'ies'}${expected}: ${listSome(list, 3)}${tasks.length ? `; tasks ${listSome(tasks, 3)}` : ''}`,
        taskId: tasks.length === 1 ? tasks[0] : undefined,
      });
    }
    if (deadLetters > 0 && !input.expect.deadLetterExpected) invalid = true;

    const withoutTtl = h.taskKeys.withoutTtl.length;
    if (withoutTtl > 0) {
      invalid = true;
      evidence.push({ message: `${withoutTtl} of ${h.taskKeys.total} task keys have no TTL: ${listSome(h.taskKeys.withoutTtl)}` });
    }
    for (const w of h.wrongTypes) {
      invalid = true;
      evidence.push({ message: `key ${w.key} is a ${w.actual}, expected a ${w.expected}` });
    }
    const wrongTypes = h.wrongTypes.length;

    const metrics = {
      pending, lag, processing, queued, delayed, dead_letters: deadLetters,
      task_keys_without_ttl: withoutTtl, wrong_types: wrongTypes,
    };
    const valid = invalid ? false : unknown ? 'unknown' : true;
    const parts = Object.entries(metrics).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`);
    const summary = valid === true
      ? `quiescent (${h.keyCount} keys${deadLetters ? `, ${deadLetters} expected dead letters` : ''})`
      : valid === 'unknown'
        ? `lag unknown for ${h.groups.filter((g) => g.lag === null).length} group(s)${parts.length ? `; ${parts.join(', ')}` : ''}`
        : `left behind: ${parts.join(', ')}`;
    return { name: 'health', valid, summary, evidence, metrics };
  },
};

/** Sums the lengths of non-empty lists and names each one. */
function nonEmpty(lists: readonly ListHealth[], what: string, evidence: Evidence[]): number {
  let total = 0;
  for (const l of lists) {
    if (l.length <= 0) continue;
    total += l.length;
    evidence.push({ message: `${what} ${l.key} holds ${l.length} item${l.length === 1 ? '' : 's'}` });
  }
  return total;
}
