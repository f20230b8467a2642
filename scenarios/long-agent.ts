import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Agents that run far longer than the lease: every analyse_batch task takes ~6 s, three times
 * the 2 s visibility timeout and heartbeat TTL (renewed every 500 ms, so only an event loop
 * stalled 1.5 s lets a lease lapse: the agents' own CPU work on a busy 2-core machine stalled
 * it ~1 s with a 1 s lease), with no attempt timeout. Live workers
 * must keep the lease of every task they hold (no other worker reclaims it, no delivery count
 * runs up to a dead letter); a worker process SIGKILLed mid-run loses its tasks to the other
 * worker, which reclaims and finishes them once. Exclusive execution is checked.
 */
export default defineScenario({
  name: 'long-agent',
  description: 'every analyse_batch task takes ~6 s (3× the 2 s visibility timeout / heartbeat TTL, no attempt timeout); an analyse worker process is SIGKILLed mid-run and restarted',
  workload: { concurrency: 4, runTimeoutMs: 30_000 },
  setup: {
    workerMode: 'process', workersPerStage: 2, latencyModel: 'llm',
    visibilityTimeoutMs: 2000, heartbeatTtlMs: 2000, maintenanceIntervalMs: 100,
    pipeline: { widestFanOut: { attemptTimeoutMs: 0, timeoutMs: 60_000 } },
    agentFaults: [{ stage: 'widestFanOut', kind: 'slow', index: 'all', attempts: 100, ms: 6000 }],
  },
  nemesis: [{ fault: 'worker-kill', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 6 } }, params: { stage: 'widestFanOut', restartAfterMs: 300 } }],
  expect: { verdict: 'pass', exclusiveExecution: true, redelivered: 'every-task-of-killed-worker' },
});
