import { describe, expect, it } from 'vitest';
import { nemesisChecker } from '../../../harness/checkers/nemesis.js';
import { runCheckers } from '../../../harness/checkers/index.js';
import type { ScheduledFault } from '../../../harness/checkers/types.js';
import type { NemesisRecord } from '../../../harness/history/types.js';
import { completedExperiment, EXPECT, ev, history, inputOf } from './build-history.js';

const KILL: ScheduledFault = { fault: 'worker-kill', fires: 1, trigger: '{"on":{"type":"claimed","stage":"analyse_batch","nth":2,"experiment":2}}' };
const RANDOM: ScheduledFault = { fault: 'client-kill', fires: 2, trigger: '{"random":{"count":2,"withinMs":1000}}' };
const rec = (spec: number, fault: string, ok = true, extra: Partial<NemesisRecord> = {}): NemesisRecord => ({ fault, spec, ok, startedAt: 1, endedAt: 2, ...extra });
const nem = (r: NemesisRecord) => ev('nemesis', { component: 'harness', cause: `${r.fault}: ...`, fault: r });

describe('nemesis checker', () => {
  it('is valid when every scheduled fault fired and succeeded', () => {
    const h = history(completedExperiment('e1'), nem(rec(0, 'worker-kill')), nem(rec(1, 'client-kill')), nem(rec(1, 'client-kill')));
    const r = nemesisChecker.check(inputOf(h, ['e1'], { expect: { ...EXPECT, faults: [KILL, RANDOM] } }));
    expect(r).toMatchObject({ valid: true, summary: 'every scheduled fault fired and succeeded (3/3)', metrics: { 'nemesis.scheduled': 3, 'nemesis.succeeded': 3, 'nemesis.failed': 0 } });
  });

  it('a fault that never fired: every other checker passes today, the nemesis checker makes the run unknown', () => {
    // worker-kill scheduled on the 2nd claim of run 2, run with one run: the fault never happened
    const h = history(completedExperiment('e1'));
    const input = inputOf(h, ['e1'], { expect: { ...EXPECT, faults: [KILL] } });
    const others = runCheckers(input).filter((c) => c.name !== 'nemesis');
    expect(others.every((c) => c.valid === true)).toBe(true);
    const r = nemesisChecker.check(input);
    expect(r.valid).toBe('unknown');
    expect(r.summary).toBe('the run did not test its scenario: 1 fault missing or failed (0/1 succeeded)');
    expect(r.evidence[0].message).toBe(`worker-kill (schedule #1) never fired: its trigger ${KILL.trigger} did not happen during the run`);
  });

  it('an injection that failed (its own check failed) is unknown with the reason', () => {
    const h = history(completedExperiment('e1'), nem(rec(0, 'worker-kill', false, { code: 'FAULT_CHECK_FAILED', error: 'worker did not exit' })));
    const r = nemesisChecker.check(inputOf(h, ['e1'], { expect: { ...EXPECT, faults: [KILL] } }));
    expect(r.valid).toBe('unknown');
    expect(r.evidence.map((e) => e.message)).toEqual(['worker-kill (schedule #1) failed (FAULT_CHECK_FAILED): worker did not exit']);
  });

  it('a random trigger that fired fewer times than its count is unknown', () => {
    const h = history(completedExperiment('e1'), nem(rec(0, 'client-kill')));
    const r = nemesisChecker.check(inputOf(h, ['e1'], { expect: { ...EXPECT, faults: [RANDOM] } }));
    expect(r.valid).toBe('unknown');
    expect(r.evidence[0].message).toMatch(/^client-kill \(schedule #1\) fired 1 of 2 times/);
  });

  it('no faults scheduled: valid', () => {
    expect(nemesisChecker.check(inputOf(history(completedExperiment('e1')), ['e1'])).summary).toBe('no faults scheduled');
  });
});
