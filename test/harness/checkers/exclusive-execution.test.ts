import { describe, expect, it } from 'vitest';
import { exclusiveChecker } from '../../../harness/checkers/exclusive-execution.js';
import { EXPECT, ack, advance, claim, complete, ev, history, inputOf, runStage, submit, tid } from './build-history.js';

const exp = 'e1';
const start = () => [...submit(exp), ...runStage(exp, 0, 1), ...advance(exp, 1, 1)];
const STRICT = { ...EXPECT, exclusiveExecution: true };
const renew = (worker: string, ts?: number) => ev('lease-renewed', { experimentId: exp, stage: 'analyse_batch', workerId: worker, taskId: tid(exp, 1, 0), messageId: 'm-1-0', ts });
const reclaim = (worker: string) => ev('reclaimed', { experimentId: exp, stage: 'analyse_batch', workerId: worker, taskId: tid(exp, 1, 0), messageId: 'm-1-0', deliveries: 2 });
/** 100 ms later: well past the cross-clock tolerance */
const late = (worker: string) => ev('duplicate-ignored', { experimentId: exp, stage: 'analyse_batch', workerId: worker, taskId: tid(exp, 1, 0), cause: 'already counted', ts: 5000 });

describe('exclusive checker', () => {
  it('a task reclaimed from a killed worker (silent afterwards) is not an overlap', () => {
    const h = history(start(), claim(exp, 1, 0, 'w-1'), renew('w-1'), reclaim('w-2'), claim(exp, 1, 0, 'w-2'), complete(exp, 1, 0, 'w-2'), ack(exp, 1, 0, 'w-2'));
    const r = exclusiveChecker.check(inputOf(h, [exp], { expect: STRICT }));
    expect(r).toMatchObject({ name: 'exclusive', valid: true, metrics: { overlapping_executions: 0 }, evidence: [] });
    expect(r.summary).toBe('no overlapping executions (3 claims)');
  });

  it('a task claimed while the first worker still runs it overlaps: invalid when the scenario expects exclusive execution', () => {
    const h = history(start(), claim(exp, 1, 0, 'w-1'), reclaim('w-2'), claim(exp, 1, 0, 'w-2'), complete(exp, 1, 0, 'w-2'), late('w-1'));
    const strict = exclusiveChecker.check(inputOf(h, [exp], { expect: STRICT }));
    expect(strict.valid).toBe(false);
    expect(strict.metrics).toEqual({ overlapping_executions: 1 });
    const c1 = h.find((e) => e.type === 'claimed' && e.workerId === 'w-1')!;
    const c2 = h.find((e) => e.type === 'claimed' && e.workerId === 'w-2')!;
    const d = h.find((e) => e.type === 'duplicate-ignored')!;
    expect(strict.evidence).toEqual([expect.objectContaining({
      experimentId: exp, stage: 'analyse_batch', taskId: tid(exp, 1, 0), seqs: [c1.seq, c2.seq, d.seq],
      message: `task ${tid(exp, 1, 0)} claimed by w-2 (pid 1) at seq ${c2.seq} while w-1 (pid 1) (claimed at seq ${c1.seq}) still ran it: duplicate-ignored at seq ${d.seq}`,
    })]);
    // a paused worker (worker-pause) overlaps legitimately: counted, not a violation
    const lenient = exclusiveChecker.check(inputOf(h, [exp]));
    expect(lenient.valid).toBe(true);
    expect(lenient.summary).toBe('1 task ran in two live workers at once (allowed by the scenario)');
  });

  it('a lease renewal after another worker claimed the task is an overlap', () => {
    const h = history(start(), claim(exp, 1, 0, 'w-1'), claim(exp, 1, 0, 'w-2'), renew('w-1', 5000), complete(exp, 1, 0, 'w-2'));
    expect(exclusiveChecker.check(inputOf(h, [exp], { expect: STRICT })).metrics.overlapping_executions).toBe(1);
  });

  it('a retry handed to another worker, a supervisor event and same-worker redeliveries are not overlaps', () => {
    const h = history(
      start(), claim(exp, 1, 0, 'w-1'),
      ev('retried', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-1', taskId: tid(exp, 1, 0), attempt: 1, cause: 'rate limited' }),
      claim(exp, 1, 0, 'w-2'), claim(exp, 1, 0, 'w-2'),
      // the supervisor (no worker id, same pid as inline workers) dead-letters it at the stage deadline
      ev('dead-lettered', { experimentId: exp, stage: 'analyse_batch', component: 'supervisor', taskId: tid(exp, 1, 0), stageIndex: 1, index: 0, cause: 'stage deadline passed' }),
    );
    const r = exclusiveChecker.check(inputOf(h, [exp], { expect: STRICT }));
    expect(r.valid).toBe(true);
    expect(r.metrics.overlapping_executions).toBe(0);
  });
});
