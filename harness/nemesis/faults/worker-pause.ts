import { z } from 'zod';
import { now } from '../../../src/index.js';
import { durationMs, stageRef } from '../fault-params.js';
import type { Fault } from '../types.js';
import { needProcessWorker, numberParam, pickWorker, processWorkersOf, sleep, stageParam } from './process-faults.js';

/**
 * SIGSTOP a worker past the visibility timeout, then SIGCONT: its task is reclaimed meanwhile.
 * The record names the paused pid and the pause's window.
 */
export const workerPause: Fault = {
  name: 'worker-pause',
  description: 'SIGSTOP a worker process for pauseMs, then SIGCONT',
  params: z.object({ stage: stageRef('widestFanOut'), pauseMs: durationMs(3000) }).strict(),
  unsupported: (t, p) => needProcessWorker(t, stageParam(p)),
  async invoke(t, p) {
    const stage = stageParam(p);
    const w = pickWorker(t, stage);
    const ms = numberParam(p, 'pauseMs', 3000);
    const pid = w.pid;
    const from = now();
    w.signal('SIGSTOP');
    await sleep(ms);
    w.signal('SIGCONT');
    const to = now();
    return {
      what: `SIGSTOP worker ${w.id} (pid ${pid}) for ${ms} ms, then SIGCONT`,
      effects: pid === undefined ? {} : { paused: [{ pid, from, to, stage }] },
    };
  },
  async teardown(t) {
    for (const s of t.stages) for (const w of processWorkersOf(t, s)) w.signal('SIGCONT');
  },
};
