/**
 * nemesis: a run tests its scenario only if every scheduled fault fired and succeeded. Valid
 * only then; `unknown` otherwise, with the reason (a trigger that never happened, an injection
 * that failed or whose own check failed) — a run whose fault never happened proves nothing.
 * Read from the structured records the nemesis adds to the history, against the schedule.
 */
import type { NemesisRecord } from '../history/types.js';
import { indexExecutions } from './executions-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';

export const nemesisChecker: Checker = {
  name: 'nemesis',
  description: 'every scheduled fault fired and succeeded (otherwise the run did not test its scenario)',
  check(input: CheckerInput): CheckerResult {
    const records = indexExecutions(input.history).records;
    const schedule = input.expect.faults ?? [];
    const evidence: Evidence[] = [];
    const seqOf = new Map<NemesisRecord, number>();
    for (const e of input.history) if (e.type === 'nemesis' && e.fault) seqOf.set(e.fault, e.seq);
    for (const r of records.filter((x) => !x.ok)) {
      evidence.push({ message: `${r.fault} (schedule #${r.spec + 1}) failed${r.code ? ` (${r.code})` : ''}: ${r.error ?? 'no reason given'}`, seqs: [seqOf.get(r)!] });
    }
    schedule.forEach((f, i) => {
      const fired = records.filter((r) => r.spec === i);
      if (fired.length < f.fires) {
        const never = fired.length === 0 ? 'never fired' : `fired ${fired.length} of ${f.fires} times`;
        evidence.push({ message: `${f.fault} (schedule #${i + 1}) ${never}: its trigger ${f.trigger} did not happen during the run` });
      }
    });
    const succeeded = records.filter((r) => r.ok).length;
    const scheduled = schedule.reduce((n, f) => n + f.fires, 0);
    const valid = evidence.length === 0 ? true : 'unknown';
    const summary = valid === true
      ? scheduled === 0 ? 'no faults scheduled' : `every scheduled fault fired and succeeded (${succeeded}/${scheduled})`
      : `the run did not test its scenario: ${evidence.length} fault${evidence.length === 1 ? '' : 's'} missing or failed (${succeeded}/${scheduled} succeeded)`;
    return {
      name: 'nemesis', valid, summary, evidence,
      metrics: { 'nemesis.scheduled': scheduled, 'nemesis.succeeded': succeeded, 'nemesis.failed': records.length - succeeded },
    };
  },
};
