import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Agents that run far longer than the lease: every analyse_batch task takes ~1.3 s, over four
 * times the 300 ms visibility timeout and heartbeat TTL, with no attempt timeout. Live workers
 * must keep the lease of every task they hold (no other worker reclaims it, no delivery count
 * runs up to a dead letter); a worker process SIGKILLed mid-run loses its tasks to the other
 * worker, which reclaims and finishes them once. Exclusive execution is checked.
 */
export default defineScenario({
  name: 'long-agent',
  description: 'every analyse_batch task takes ~1.3 s (4× the 300 ms visibility timeout / heartbeat TTL, no attempt timeout); an analyse worker process is SIGKILLed mid-run and restarted',
  workload: { concurrency: 4, runTimeoutMs: 30_000 },
  setup: {
    workerMode: 'process', workersPerStage: 2, latencyModel: 'llm',
    visibilityTimeoutMs: 300, heartbeatTtlMs: 300, maintenanceIntervalMs: 100,
    pipeline: { analyse_batch: { attemptTimeoutMs: 0, timeoutMs: 60_000 } },
    agentFaults: [{ stage: 'analyse_batch', kind: 'slow', index: 'all', attempts: 100, ms: 1300 }],
  },
  nemesis: [{ fault: 'worker-kill', trigger: { on: { type: 'claimed', stage: 'analyse_batch', nth: 6 } }, params: { stage: 'analyse_batch', restartAfterMs: 300 } }],
  expect: { verdict: 'pass', exclusiveExecution: true },
});
