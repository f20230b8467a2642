import { z } from 'zod';
import { now } from '../../../src/index.js';
import { durationMs, stageRef } from '../fault-params.js';
import type { Fault } from '../types.js';
import { needProcessWorker, numberParam, pickWorker, sleep, stageParam } from './process-faults.js';

/**
 * SIGKILL a worker process mid-task, then start a replacement (as a process supervisor would).
 * The record names the killed pid and when, so checkers know which executions ended there and
 * which tasks it held.
 */
export const workerKill: Fault = {
  name: 'worker-kill',
  description: 'SIGKILL a worker process of a stage; restart it after restartAfterMs',
  params: z.object({ stage: stageRef('widestFanOut'), restartAfterMs: durationMs(300) }).strict(),
  unsupported: (t, p) => needProcessWorker(t, stageParam(p)),
  async invoke(t, p) {
    const stage = stageParam(p);
    const w = pickWorker(t, stage);
    const pid = w.pid;
    const at = now();
    w.signal('SIGKILL');
    await w.exited();
    const after = numberParam(p, 'restartAfterMs', 300);
    await sleep(after);
    await w.restart();
    return {
      what: `SIGKILL worker ${w.id} (pid ${pid}); restarted as pid ${w.pid} after ${after} ms`,
      effects: pid === undefined ? {} : { killed: [{ pid, at, stage }] },
    };
  },
};
