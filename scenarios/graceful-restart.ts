import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * A rolling restart under long tasks: analyse_batch worker processes get SIGTERM while they
 * hold ~6 s tasks (three times the 2 s visibility timeout and heartbeat TTL). Each must
 * stop claiming, keep its leases until the last task in hand has finished, and exit 0 (the
 * worker-term fault checks both); then it is restarted. No task runs twice, none is lost.
 */
export default defineScenario({
  name: 'graceful-restart',
  description: 'SIGTERM the busiest analyse_batch worker process twice while it holds ~6 s tasks (3× the 2 s lease): it finishes them, exits 0, is restarted',
  workload: { concurrency: 4, runTimeoutMs: 30_000 },
  setup: {
    workerMode: 'process', workersPerStage: 2, latencyModel: 'llm',
    visibilityTimeoutMs: 2000, heartbeatTtlMs: 2000, maintenanceIntervalMs: 100,
    pipeline: { widestFanOut: { attemptTimeoutMs: 0, timeoutMs: 60_000 } },
    agentFaults: [{ stage: 'widestFanOut', kind: 'slow', index: 'all', attempts: 100, ms: 6000 }],
  },
  nemesis: [
    { fault: 'worker-term', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 6 } }, params: { stage: 'widestFanOut', restartAfterMs: 300 } },
    { fault: 'worker-term', trigger: { on: { type: 'completed', stage: 'widestFanOut', nth: 12 } }, params: { stage: 'widestFanOut', restartAfterMs: 300 } },
  ],
  expect: { verdict: 'pass', exclusiveExecution: true },
});
