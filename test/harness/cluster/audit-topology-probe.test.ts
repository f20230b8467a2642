/**
 * An audit user refused CLUSTER NODES on a real local cluster (3 masters): the masters come from
 * the MOVED replies of one EXISTS per slot (harness/audit/cluster-probe.ts); a user refused even
 * EXISTS gets RedisUnavailableError (reason acl) naming the permission to grant, not a silent
 * audit of one master.
 */
import calculateSlot from 'cluster-key-slot';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { keysPerSlot } from '../../../harness/audit/cluster-probe.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { RedisUnavailableError } from '../../../src/index.js';
import { useCluster } from '../../support/cluster.js';

const c = useCluster();

beforeAll(async () => {
  for (const port of c.masters) {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await r.connect();
    await r.call('ACL', 'SETUSER', 'reader', 'on', '>pw', '~*', '&*', '-@all', '+@read', '+@connection', '+info');
    // may scan but not EXISTS: the masters cannot be found
    await r.call('ACL', 'SETUSER', 'scanner', 'on', '>pw', '~*', '&*', '-@all', '+@connection', '+info', '+scan', '+type', '+pttl');
    r.disconnect();
  }
}, 60_000);

describe('the masters of a cluster for an auditor without cluster|nodes', () => {
  it('one probe key per slot, under the prefix', () => {
    const keys = keysPerSlot('app:');
    expect(new Set(keys.map((k) => calculateSlot(k))).size).toBe(16_384);
    expect(keys.every((k) => k.startsWith('app:'))).toBe(true);
  });

  it('a +@read user audits every master, named as the cluster names them', async () => {
    const r = await runAudit({ redis: `redis://reader:pw@127.0.0.1:${c.masters[1]}` });
    expect(r.nodes).toEqual(c.masters.map((p) => `127.0.0.1:${p}`).sort());
  });

  it('a user refused EXISTS too: RedisUnavailableError, reason acl, naming +cluster|nodes', async () => {
    const err = await runAudit({ redis: `redis://scanner:pw@127.0.0.1:${c.masters[0]}` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect({ code: (err as RedisUnavailableError).code, reason: (err as RedisUnavailableError).reason }).toEqual({ code: 'REDIS_UNAVAILABLE', reason: 'acl' });
    expect((err as Error).message).toContain('+cluster|nodes');
  });
});
