import { z } from 'zod';
import { durationMs } from '../fault-params.js';
import type { Fault } from '../types.js';
import { numberParam, sleep } from './process-faults.js';

/** SIGKILL the supervising orchestrator process, then restart it: it resumes from Redis. */
export const orchestratorKill: Fault = {
  name: 'orchestrator-kill',
  description: 'SIGKILL the orchestrator process; restart it after restartAfterMs',
  params: z.object({ restartAfterMs: durationMs(500) }).strict(),
  unsupported: (t) => (t.supervisor ? null : 'needs the orchestrator as its own process (the scenario sets supervisor: process)'),
  async invoke(t, p) {
    const s = t.supervisor!;
    const pid = s.pid;
    s.signal('SIGKILL');
    await s.exited();
    const after = numberParam(p, 'restartAfterMs', 500);
    await sleep(after);
    await s.restart();
    return `SIGKILL orchestrator (pid ${pid}); restarted as pid ${s.pid} after ${after} ms`;
  },
};
