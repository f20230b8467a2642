/**
 * Every checker, in report order, and the runner: a checker that throws is 'unknown' (never
 * true), so a broken checker fails the gate instead of passing silently.
 */
import { completionChecker } from './completion-rate.js';
import { duplicatesChecker } from './duplicate-effects.js';
import { exclusiveChecker } from './exclusive-execution.js';
import { executionsChecker } from './executions.js';
import { fanInCommitChecker } from './fan-in-commit.js';
import { fanInChecker } from './fan-in-order.js';
import { handlingChecker } from './handling.js';
import { latencyChecker } from './latency.js';
import { lostTasksChecker } from './lost-tasks.js';
import { nemesisChecker } from './nemesis.js';
import { healthChecker } from './pending-health.js';
import { referenceChecker } from './reference.js';
import { integrityChecker } from './result-integrity.js';
import type { Checker, CheckerInput, CheckerResult } from './types.js';

export const ALL_CHECKERS: Checker[] = [
  completionChecker,
  fanInChecker,
  fanInCommitChecker,
  lostTasksChecker,
  duplicatesChecker,
  executionsChecker,
  exclusiveChecker,
  integrityChecker,
  referenceChecker,
  latencyChecker,
  healthChecker,
  handlingChecker,
  nemesisChecker,
];

export function runCheckers(input: CheckerInput, checkers: readonly Checker[] = ALL_CHECKERS): CheckerResult[] {
  return checkers.map((c) => {
    try {
      const r = c.check(input);
      if (!r || typeof r !== 'object') throw new Error(`checker ${c.name} returned ${String(r)}`);
      return r;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const stack = err instanceof Error && err.stack ? err.stack.split('\n')[0] : message;
      return { name: c.name, valid: 'unknown', summary: `checker threw: ${message}`, evidence: [{ message: stack }], metrics: {} };
    }
  });
}

export {
  completionChecker, duplicatesChecker, exclusiveChecker, executionsChecker, fanInChecker, fanInCommitChecker, handlingChecker, healthChecker,
  integrityChecker, latencyChecker, lostTasksChecker, nemesisChecker, referenceChecker,
};
export { latencyByStage, latencySummaries, summarizeLatency, endToEndLatencies } from './latency.js';
export type { Checker, CheckerInput, CheckerResult, Evidence, ReferenceRun, ScheduledFault } from './types.js';
