import { noParams } from '../fault-params.js';
import type { Fault } from '../types.js';

/** Kill redis-server and start it again on the same port (with AOF: nothing lost; without: all gone). */
export const redisRestart: Fault = {
  name: 'redis-restart',
  description: 'SIGKILL redis-server and start it again on the same port',
  params: noParams,
  unsupported: (t) => (t.redis.control ? null : 'the Redis provider cannot restart its server (url and container Redis are not controlled here)'),
  async invoke(t) {
    const c = t.redis.control!;
    const pid = c.pid();
    await c.restart();
    return `SIGKILL redis-server (pid ${pid}, persistence ${c.persistence}); restarted as pid ${c.pid()}`;
  },
};
