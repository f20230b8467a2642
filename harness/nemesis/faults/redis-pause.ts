import { z } from 'zod';
import { durationMs } from '../fault-params.js';
import type { Fault } from '../types.js';
import { numberParam, sleep } from './process-faults.js';

/** SIGSTOP redis-server for pauseMs, then SIGCONT: calls time out and are retried. */
export const redisPause: Fault = {
  name: 'redis-pause',
  description: 'SIGSTOP redis-server for pauseMs, then SIGCONT',
  params: z.object({ pauseMs: durationMs(2000) }).strict(),
  unsupported: (t) => (t.redis.control ? null : 'the Redis provider cannot signal its server'),
  async invoke(t, p) {
    const c = t.redis.control!;
    const ms = numberParam(p, 'pauseMs', 2000);
    c.signal('SIGSTOP');
    await sleep(ms);
    c.signal('SIGCONT');
    return `SIGSTOP redis-server (pid ${c.pid()}) for ${ms} ms, then SIGCONT`;
  },
  async teardown(t) {
    t.redis.control?.signal('SIGCONT');
  },
};
