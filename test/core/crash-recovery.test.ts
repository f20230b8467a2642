/**
 * Real crashes: worker and orchestrator processes killed with SIGKILL mid-experiment, on a
 * real redis-server. Recovery must complete the experiment with the reference report and no
 * duplicate downstream effect.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constitutionalHandlers, runPipelineLocally } from '../../src/agents/index.js';
import { loadReferenceInput } from '../../src/analysis/load-fixtures.js';
import type { LifecycleEvent } from '../../src/events.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { runCli } from '../support/child.js';
import { deploy, eventsOf } from '../support/deployment.js';
import { slowHandlers } from '../support/slow-handlers.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let server: TestRedis;
let redis: Redis;
const input = loadReferenceInput();
const params = { batchSize: 3 };
let expected: Awaited<ReturnType<typeof runPipelineLocally>>;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  expected = await runPipelineLocally(input, params);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});

function readEvents(file: string): LifecycleEvent[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LifecycleEvent);
  } catch {
    return [];
  }
}

/**
 * Every stage but analyse_batch in process; analyse_batch in a worker process with 1 s leases
 * (its slow handlers configured by `env`, see test/support/slow-handlers.ts), and a rescuer
 * worker in process that records the tasks it runs.
 */
async function analyseInProcessAndRescuer(transport: 'streams' | 'lists', prefix: string, env: Record<string, string>, extra: string[] = []) {
  const d = await deploy({
    url: server.url, transport, prefix, handlers: constitutionalHandlers,
    stages: ['pre_test', 'corpus_synthesis', 'review', 'moderation'], worker: { maintenanceIntervalMs: 50 },
  });
  const child = runCli(
    ['worker', '--stage', 'analyse_batch', '--redis', server.url, '--transport', transport, '--prefix', prefix, ...extra,
      '--handlers', 'test/support/slow-handlers.ts', '--heartbeat-ttl', '1000', '--visibility-timeout', '1000', '--maintenance-interval', '50'],
    { FANIN_SLOW_STAGE: 'analyse_batch', ...env },
  );
  const rescued: string[] = [];
  const rescuer = new Worker({
    redisUrl: server.url, transport, prefix, stage: 'analyse_batch', events: (e) => void d.events.push(e),
    handler: slowHandlers('analyse_batch', 0, (line) => void rescued.push(line)).analyse_batch,
    visibilityTimeoutMs: 1000, heartbeatTtlMs: 1000, maintenanceIntervalMs: 50,
  });
  return { d, child, rescued, rescuer };
}

describe.each(['streams', 'lists'] as const)('crash recovery over %s', (transport) => {
  it('a worker process killed with SIGKILL mid-task: its tasks are reclaimed, the experiment completes once', async () => {
    const prefix = `crash-w-${transport}`;
    const dir = mkdtempSync(join(tmpdir(), 'fanin-crash-'));
    const childEvents = join(dir, 'child.ndjson');
    // every stage but analyse_batch in this process
    const d = await deploy({
      url: server.url, transport, prefix, handlers: constitutionalHandlers,
      stages: ['pre_test', 'corpus_synthesis', 'review', 'moderation'],
      worker: { maintenanceIntervalMs: 50 },
    });
    const child = runCli(
      ['worker', '--stage', 'analyse_batch', '--redis', server.url, '--transport', transport, '--prefix', prefix,
        '--handlers', 'test/support/slow-handlers.ts', '--events', childEvents, '--heartbeat-ttl', '300', '--maintenance-interval', '50'],
      { FANIN_SLOW_STAGE: 'analyse_batch', FANIN_SLOW_MS: '60000' },
    );
    let rescuer: Worker | undefined;
    try {
      await child.waitForLine(/^worker /);
      const id = await d.orchestrator.submit({ input, params });
      // the child has taken analyse tasks and is inside one of them
      await child.waitForLine(new RegExp(`^STARTED ${id} analyse_batch`));
      child.kill('SIGKILL');
      expect(await child.exited).toBeNull();

      rescuer = new Worker({
        redisUrl: server.url, transport, prefix, stage: 'analyse_batch', handler: constitutionalHandlers.analyse_batch,
        visibilityTimeoutMs: 200, maintenanceIntervalMs: 50, events: (e) => void d.events.push(e),
      });
      await rescuer.start();
      const state = await d.orchestrator.waitFor(id, 20_000);
      expect(state.status).toBe('completed');
      expect(await d.orchestrator.getResult(id)).toEqual(expected.report);

      const batches = expected.hashes.analyse_batch.length;
      const crashed = readEvents(childEvents);
      expect(eventsOf(crashed, 'claimed').length).toBeGreaterThan(0);
      expect(eventsOf(crashed, 'completed')).toHaveLength(0);
      // each analyse task completed exactly once, every one of them by the rescuer
      const done = eventsOf(d.events, 'completed', { experimentId: id, stage: 'analyse_batch' });
      expect(done.map((e) => e.index).sort()).toEqual(Array.from({ length: batches }, (_, i) => i));
      expect(eventsOf(d.events, 'reclaimed').length).toBeGreaterThan(0);
      // no duplicate downstream effect: one synthesis, one moderation, N stored results
      expect(eventsOf(d.events, 'completed', { experimentId: id, stage: 'corpus_synthesis' })).toHaveLength(1);
      expect(eventsOf(d.events, 'completed', { experimentId: id, stage: 'moderation' })).toHaveLength(1);
      // the stage's results hash: one result per task index (plus each completion's token)
      const res = await redis.hgetall(d.orchestrator.keys.stageResults(id, 1));
      const results = Object.entries(res).filter(([k]) => /^\d+$/.test(k)).map(([, v]) => v);
      expect(results).toHaveLength(batches);
      expect(results.sort()).toEqual([...expected.hashes.analyse_batch].sort());
    } finally {
      child.kill('SIGKILL');
      await rescuer?.stop();
      await d.stop();
    }
  });

  it('a worker process sent SIGTERM mid-task finishes the tasks in hand, keeping their leases, and exits 0: each task runs once', async () => {
    // leases far shorter than the task: without renewals during the stop, the rescuer takes them
    const { d, child, rescued, rescuer } = await analyseInProcessAndRescuer(transport, `term-w-${transport}`, { FANIN_SLOW_MS: '4000' });
    try {
      await child.waitForLine(/^worker /);
      const id = await d.orchestrator.submit({ input, params });
      await child.waitForLine(new RegExp(`^STARTED ${id} analyse_batch`));
      child.kill('SIGTERM');
      await rescuer.start();
      expect(await child.exited).toBe(0);
      const state = await d.orchestrator.waitFor(id, 30_000);
      expect(state.status).toBe('completed');
      expect(await d.orchestrator.getResult(id)).toEqual(expected.report);
      // every analyse task ran exactly once, in whichever process took it first
      const runs = [...child.lines.filter((l) => l.startsWith('STARTED ')), ...rescued];
      expect(runs).toHaveLength(expected.hashes.analyse_batch.length);
      expect(new Set(runs).size).toBe(runs.length);
    } finally {
      child.kill('SIGKILL');
      await rescuer.stop();
      await d.stop();
    }
  });

  it('the orchestrator process killed with SIGKILL mid-experiment and restarted: the experiment completes', async () => {
    const prefix = `crash-o-${transport}`;
    let started!: () => void;
    const analyseStarted = new Promise<void>((r) => (started = r));
    const handlers = slowHandlers('analyse_batch', 1500, () => started());
    const d = await deploy({ url: server.url, transport, prefix, handlers, worker: { maintenanceIntervalMs: 50 } });
    const common = ['--redis', server.url, '--transport', transport, '--prefix', prefix, '--id', 'restart-1', '--wait', '30000'];
    const first = runCli(['submit', ...common]);
    try {
      await first.waitForLine(/^submitted restart-1$/);
      await analyseStarted;
      first.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      expect((await d.orchestrator.getState('restart-1'))?.status).toBe('running');

      const second = runCli(['submit', ...common]);
      expect(await second.exited).toBe(0);
      const state = JSON.parse(second.lines[second.lines.length - 1]) as { status: string; id: string };
      expect(state).toMatchObject({ id: 'restart-1', status: 'completed' });
      expect(await d.orchestrator.getResult('restart-1')).toEqual(expected.report);
      expect(eventsOf(d.events, 'experiment-completed', { experimentId: 'restart-1' })).toHaveLength(1);
      expect(eventsOf(d.events, 'completed', { experimentId: 'restart-1', stage: 'pre_test' })).toHaveLength(1);
    } finally {
      first.kill('SIGKILL');
      await d.stop();
    }
  });
});

describe('orchestrator restart in process', () => {
  it('a new orchestrator instance waits for an experiment submitted by a closed one', async () => {
    const d = await deploy({ url: server.url, transport: 'streams', prefix: 'restart-inproc', handlers: constitutionalHandlers, stages: [] });
    const id = await d.orchestrator.submit({ input, params });
    await d.orchestrator.close();
    const workers = Object.keys(constitutionalHandlers).map((stage) => new Worker({ redisUrl: server.url, prefix: 'restart-inproc', stage, handler: constitutionalHandlers[stage] }));
    for (const w of workers) await w.start();
    const o2 = new Orchestrator({ redisUrl: server.url, prefix: 'restart-inproc' });
    await o2.start();
    try {
      expect((await o2.waitFor(id, 20_000)).status).toBe('completed');
      expect(await o2.getResult(id)).toEqual(expected.report);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await o2.close();
    }
  });
});

/**
 * A worker whose event loop is held by its own agents past the lease. Agents that start
 * together and wait the same time (a model call) come back in one turn of the event loop,
 * and their synchronous parts (parsing, scoring) then run back to back: the loop runs no timer
 * until the last one returns. Seen in the graceful-restart scenario on a loaded machine: 16
 * such agents held the loop 2.4 s, past the 2 s lease, another worker reclaimed their tasks
 * and ran them again. The worker must keep its leases as long as it gets control back between
 * agents, even when no timer can run.
 */
describe.each(['streams', 'lists'] as const)('a worker whose agents hold its event loop past the lease, over %s', (transport) => {
  it('keeps its leases between agents: another worker takes none of its tasks, each runs once', async () => {
    // 5 agents × 500 ms of synchronous work after one shared 1.5 s wait: the loop is held
    // ~2.5 s, two and a half 1 s leases; between two agents the worker gets control back
    const { d, child, rescued, rescuer } = await analyseInProcessAndRescuer(
      transport, `blocked-${transport}`, { FANIN_SLOW_MS: '1500', FANIN_BLOCK_MS: '500' }, ['--concurrency', '8']);
    try {
      await child.waitForLine(/^worker /);
      const id = await d.orchestrator.submit({ input, params });
      // the rescuer starts once the blocked worker holds every task: it can only take them over
      for (let i = 0; i < expected.hashes.analyse_batch.length; i++) await child.waitForLine(new RegExp(`^STARTED ${id} analyse_batch ${i}$`));
      await rescuer.start();
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
