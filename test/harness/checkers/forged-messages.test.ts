/**
 * Deliveries of forged queue messages (hostile-messages): a worker claims and dead-letters a
 * message naming an experiment that was never submitted. That made-up experiment is not a
 * fan-out without fan-in, and it does not make the run's real experiments invalid.
 */
import { describe, expect, it } from 'vitest';
import { fanInChecker } from '../../../harness/checkers/fan-in-order.js';
import { lostTasksChecker } from '../../../harness/checkers/lost-tasks.js';
import { completedExperiment, ev, history, inputOf, submit, tid } from './build-history.js';

function forged(exp: string) {
  return [
    ev('claimed', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-a', taskId: tid(exp, 1, 0), messageId: `m-${exp}`, deliveries: 1 }),
    ev('dead-lettered', { experimentId: exp, stage: 'analyse_batch', workerId: 'w-a', taskId: tid(exp, 1, 0), messageId: `m-${exp}`, cause: `experiment ${exp} does not exist` }),
  ];
}

describe('checkers and forged messages', () => {
  it('a never-submitted experiment known only from a dead-lettered forged message is no fan-in violation', () => {
    const h = history(completedExperiment('e1'), forged('hostile-1-noexp'), forged('hostile-1-nodata'));
    const fanIn = fanInChecker.check(inputOf(h, ['e1']));
    expect(fanIn.evidence).toEqual([]);
    expect(fanIn.valid).toBe(true);
    expect(lostTasksChecker.check(inputOf(h, ['e1'])).metrics.lost).toBe(0);
  });

  it('a submitted experiment whose fan-out ended in dead letters is still one', () => {
    const exp = 'e1';
    const h = history(
      submit(exp), ev('claimed', { experimentId: exp, stage: 'pre_test', workerId: 'w-p', taskId: tid(exp, 0, 0), messageId: 'm0', deliveries: 1 }),
      ev('dead-lettered', { experimentId: exp, stage: 'pre_test', workerId: 'w-p', taskId: tid(exp, 0, 0), stageIndex: 0, index: 0, cause: 'boom' }),
    );
    const input = inputOf(h, [exp]);
    const withFanInAfterPreTest = { ...input, expect: { ...input.expect, fanInStages: ['analyse_batch'] } };
    expect(fanInChecker.check(withFanInAfterPreTest).metrics.fan_in_violations).toBe(1);
  });
});
