/**
 * The key watch of the hostile-messages fault (MONITOR on a real redis-server): a read of a
 * watched key by another client, or by a Lua script, is reported; the watching client's own
 * commands and script calls themselves are not; fingerprints change when a key does.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { fingerprint, watchKeys } from '../../../harness/nemesis/faults/key-watch.js';
import { useRedis } from '../../support/redis.js';

const srv = useRedis();

describe('key watch', () => {
  it('reports reads of a watched key by other clients and inside scripts, not its own commands', async () => {
    const admin = srv.client;
    await admin.set('app:secret:w', 'v');
    const before = await fingerprint(admin, 'app:secret:w');
    const watch = await watchKeys(admin, ['app:secret:w']);
    const other = new Redis(srv.url);
    try {
      await admin.lpush('queue:w', 'names app:secret:w'); // not an argument of its own
      await admin.xadd('stream:w', '*', 'k', 'app:secret:w'); // the watcher's own command
      expect(await fingerprint(admin, 'app:secret:w')).toBe(before);
      await other.eval("return redis.call('TYPE', KEYS[1])", 1, 'app:secret:w');
      await other.get('app:secret:w');
      const touches = await watch.stop();
      expect(touches.map((t) => [t.source === 'lua' ? 'lua' : 'client', t.command.split(' ')[0].toLowerCase()])).toEqual([['lua', 'type'], ['client', 'get']]);
      await other.append('app:secret:w', 'x');
      expect(await fingerprint(admin, 'app:secret:w')).not.toBe(before);
    } finally {
      other.disconnect();
    }
  });
});
