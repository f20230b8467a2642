import type { Fault } from '../types.js';
import { needProcessWorker, numberParam, pickWorker, sleep, stageParam } from './process-faults.js';

/** SIGKILL a worker process mid-task, then start a replacement (as a process supervisor would). */
export const workerKill: Fault = {
  name: 'worker-kill',
  description: 'SIGKILL a worker process of a stage; restart it after restartAfterMs',
  unsupported: (t, p) => needProcessWorker(t, stageParam(p)),
  async invoke(t, p) {
    const stage = stageParam(p);
    const w = pickWorker(t, stage);
    const pid = w.pid;
    w.signal('SIGKILL');
    await w.exited();
    const after = numberParam(p, 'restartAfterMs', 300);
    await sleep(after);
    await w.restart();
    return `SIGKILL worker ${w.id} (pid ${pid}); restarted as pid ${w.pid} after ${after} ms`;
  },
};
