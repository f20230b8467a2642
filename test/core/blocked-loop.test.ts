/**
 * A worker whose event loop is held by its own agents past the lease. Agents that start
 * together and wait the same time (a model call) come back in one turn of the event loop,
 * and their synchronous parts (parsing, scoring) then run back to back: the loop runs no timer
 * until the last one returns. Seen in the graceful-restart scenario on a loaded machine: 16
 * such agents held the loop 2.4 s, past the 2 s lease, another worker reclaimed their tasks
 * and ran them again. The worker must keep its leases as long as it keeps getting control
 * back between agents, even when no timer can run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constitutionalHandlers, runPipelineLocally } from '../../src/agents/index.js';
import { loadReferenceInput } from '../../src/analysis/load-fixtures.js';
import { Worker } from '../../src/worker/worker.js';
import { runCli } from '../support/child.js';
import { deploy } from '../support/deployment.js';
import { slowHandlers } from '../support/slow-handlers.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let server: TestRedis;
const input = loadReferenceInput();
// seven analyse_batch tasks, all claimed at once by a worker of eight slots
const params = { batchSize: 2 };
let expected: Awaited<ReturnType<typeof runPipelineLocally>>;

beforeAll(async () => {
  server = await startRedis();
  expected = await runPipelineLocally(input, params);
});
afterAll(async () => {
  await server.stop();
});

describe.each(['streams', 'lists'] as const)('a worker whose agents hold its event loop past the lease, over %s', (transport) => {
  it('keeps its leases between agents: another worker takes none of its tasks, each runs once', async () => {
    const prefix = `blocked-${transport}`;
    const d = await deploy({
      url: server.url, transport, prefix, handlers: constitutionalHandlers,
      stages: ['pre_test', 'corpus_synthesis', 'review', 'moderation'], worker: { maintenanceIntervalMs: 50 },
    });
    // 7 agents × 400 ms of synchronous work after one shared 1.5 s wait: the loop is held
    // ~2.8 s, almost three 1 s leases; between two agents the worker gets control back
    const child = runCli(
      ['worker', '--stage', 'analyse_batch', '--redis', server.url, '--transport', transport, '--prefix', prefix, '--concurrency', '8',
        '--handlers', 'test/support/slow-handlers.ts', '--heartbeat-ttl', '1000', '--visibility-timeout', '1000', '--maintenance-interval', '50'],
      { FANIN_SLOW_STAGE: 'analyse_batch', FANIN_SLOW_MS: '1500', FANIN_BLOCK_MS: '400' },
    );
    const rescued: string[] = [];
    const rescuer = new Worker({
      redisUrl: server.url, transport, prefix, stage: 'analyse_batch', events: (e) => void d.events.push(e),
      handler: slowHandlers('analyse_batch', 0, (line) => void rescued.push(line)).analyse_batch,
      visibilityTimeoutMs: 1000, heartbeatTtlMs: 1000, maintenanceIntervalMs: 50,
    });
    try {
      await child.waitForLine(/^worker /);
      await rescuer.start();
      const id = await d.orchestrator.submit({ input, params });
      const state = await d.orchestrator.waitFor(id, 30_000);
      expect(state.status).toBe('completed');
      expect(await d.orchestrator.getResult(id)).toEqual(expected.report);
      const started = child.lines.filter((l) => l.startsWith('STARTED '));
      // every task was the blocked worker's (it claimed them all at once) and ran there only
      expect({ started: started.length, rescued }).toEqual({ started: expected.hashes.analyse_batch.length, rescued: [] });
    } finally {
      child.kill('SIGKILL');
      await rescuer.stop();
      await d.stop();
    }
  });
});
