/**
 * The components of one process share one command connection (issue 16, shareConnection):
 * counted on the real server with CLIENT LIST (named `fanin:shared`); a component that closes
 * leaves it open for the others; `shareConnection: false` gives each its own.
 */
import { describe, expect, it } from 'vitest';
import { deploy } from '../support/deployment.js';
import { DEMO_PIPELINE, demoHandlers } from '../support/demo-pipeline.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();

/** Connections by CLIENT SETNAME, excluding the test's own. */
async function clientNames(): Promise<string[]> {
  const list = String(await srv.client.client('LIST'));
  return list.trim().split('\n').map((l) => /\bname=(\S*)/.exec(l)?.[1] ?? '').filter((n) => n.startsWith('fanin'));
}

describe('shared command connection', () => {
  it('an orchestrator and its five workers in one process send ordinary commands through one connection, kept open until the last closes', async () => {
    const d = await deploy({ url: srv.url, transport: 'streams', handlers: demoHandlers(), pipeline: DEMO_PIPELINE });
    try {
      const id = await d.orchestrator.submit({ input: { n: 3 } });
      expect((await d.orchestrator.waitFor(id, 10_000)).status).toBe('completed');
      const names = await clientNames();
      // one shared command connection; the rest are blocking reads (named `…:blocking`)
      expect(names.filter((n) => n === 'fanin:shared')).toHaveLength(1);
      expect(names.filter((n) => !n.endsWith(':blocking') && n !== 'fanin:shared')).toEqual([]);
      // a worker that stops leaves the connection open for the others
      await d.workers[0].stop();
      expect((await clientNames()).filter((n) => n === 'fanin:shared')).toHaveLength(1);
    } finally {
      await d.stop();
    }
    // the last one closed it
    expect((await clientNames()).filter((n) => n === 'fanin:shared')).toEqual([]);
  });

  it('shareConnection: false gives every component its own command connection', async () => {
    const d = await deploy({
      url: srv.url, transport: 'lists', handlers: demoHandlers(), pipeline: DEMO_PIPELINE,
      worker: { shareConnection: false }, orchestrator: { shareConnection: false },
    });
    try {
      const id = await d.orchestrator.submit({ input: { n: 2 } });
      expect((await d.orchestrator.waitFor(id, 10_000)).status).toBe('completed');
      const names = await clientNames();
      expect(names).not.toContain('fanin:shared');
      expect(names.filter((n) => !n.endsWith(':blocking'))).toHaveLength(1 + d.workers.length);
    } finally {
      await d.stop();
    }
  });
});
