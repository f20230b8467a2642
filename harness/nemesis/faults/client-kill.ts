import { noParams } from '../fault-params.js';
import type { Fault } from '../types.js';

/** CLIENT KILL TYPE normal from an admin connection: every component must reconnect. */
export const clientKill: Fault = {
  name: 'client-kill',
  description: 'CLIENT KILL TYPE normal SKIPME yes from an admin connection',
  params: noParams,
  unsupported: (t) => (t.redis.owned ? null : 'killing every client of a Redis the harness does not own would hit other users'),
  async invoke(t) {
    const n = await t.admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    return `CLIENT KILL TYPE normal closed ${n} connection(s)`;
  },
};
