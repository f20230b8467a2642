/**
 * Red-team review of issue 14: a seed list that names one node `redis://` and another
 * `rediss://` (what `--redis redis://a --redis rediss://b` folds into). TLS is chosen once for the
 * whole list from its first scheme (src/redis/tls.ts tlsOptionsFor), so a node the user asked to
 * reach over TLS is dialled in plaintext. The cluster here (3 masters) listens in plaintext only:
 * a client that honoured `rediss://` could not reach it, so a start that succeeds proves the
 * downgrade. A mix must be refused (INVALID_CONFIG naming the seeds) or fail on TLS.
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator, type FaninError } from '../../../src/index.js';
import { useCluster } from '../../support/cluster.js';

const c = useCluster();

describe('a seed list mixing redis:// and rediss://', () => {
  it('is refused, never dialled in plaintext', async () => {
    const url = `redis://127.0.0.1:${c.masters[0]},rediss://127.0.0.1:${c.masters[1]}`;
    const o = new Orchestrator({ redisUrl: url, prefix: 'mixtls', shards: 3, pipeline: { name: 'one', stages: [{ name: 's', width: 1, timeoutMs: 10_000 }] } });
    try {
      const err = await o.start().then(() => null, (e: unknown) => e as FaninError);
      expect(err?.code === 'INVALID_CONFIG' || (err as { reason?: string } | null)?.reason === 'tls', `start ${err ? `failed: ${err.message}` : 'succeeded over plaintext'}`).toBe(true);
    } finally {
      await o.close();
    }
  }, 60_000);
});
