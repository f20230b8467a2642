import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Agents that run far longer than the lease: every analyse_batch task takes ~3.5 s, over three
 * times the 1 s visibility timeout and heartbeat TTL (renewed every 50 ms, so only a stall of
 * nearly a second — not a busy machine — lets a lease lapse), with no attempt timeout. Live workers
 * must keep the lease of every task they hold (no other worker reclaims it, no delivery count
 * runs up to a dead letter); a worker process SIGKILLed mid-run loses its tasks to the other
 * worker, which reclaims and finishes them once. Exclusive execution is checked.
 */
export default defineScenario({
  name: 'long-agent',
  description: 'every analyse_batch task takes ~3.5 s (3.5× the 1 s visibility timeout / heartbeat TTL, no attempt timeout); an analyse worker process is SIGKILLed mid-run and restarted',
  workload: { concurrency: 4, runTimeoutMs: 30_000 },
  setup: {
    workerMode: 'process', workersPerStage: 2, latencyModel: 'llm',
    visibilityTimeoutMs: 1000, heartbeatTtlMs: 1000, maintenanceIntervalMs: 50,
    pipeline: { analyse_batch: { attemptTimeoutMs: 0, timeoutMs: 60_000 } },
    agentFaults: [{ stage: 'analyse_batch', kind: 'slow', index: 'all', attempts: 100, ms: 3500 }],
  },
  nemesis: [{ fault: 'worker-kill', trigger: { on: { type: 'claimed', stage: 'analyse_batch', nth: 6 } }, params: { stage: 'analyse_batch', restartAfterMs: 300 } }],
  expect: { verdict: 'pass', exclusiveExecution: true },
});
