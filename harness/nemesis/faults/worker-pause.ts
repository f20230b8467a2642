import type { Fault } from '../types.js';
import { needProcessWorker, numberParam, pickWorker, processWorkersOf, sleep, stageParam } from './process-faults.js';

/** SIGSTOP a worker past the visibility timeout, then SIGCONT: its task is reclaimed meanwhile. */
export const workerPause: Fault = {
  name: 'worker-pause',
  description: 'SIGSTOP a worker process for pauseMs, then SIGCONT',
  unsupported: (t, p) => needProcessWorker(t, stageParam(p)),
  async invoke(t, p) {
    const stage = stageParam(p);
    const w = pickWorker(t, stage);
    const ms = numberParam(p, 'pauseMs', 3000);
    w.signal('SIGSTOP');
    await sleep(ms);
    w.signal('SIGCONT');
    return `SIGSTOP worker ${w.id} (pid ${w.pid}) for ${ms} ms, then SIGCONT`;
  },
  async teardown(t) {
    for (const s of t.stages) for (const w of processWorkersOf(t, s)) w.signal('SIGCONT');
  },
};
