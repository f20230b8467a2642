import { defineScenario } from '../harness/scenario/define-scenario.js';

/** SIGSTOP a worker past the visibility timeout, then SIGCONT: reclaimed; its late completion is a no-op. */
export default defineScenario({
  name: 'worker-pause',
  description: 'SIGSTOP an analyse_batch worker process for 2.5 s (past the 0.8 s visibility timeout), then SIGCONT',
  setup: { workerMode: 'process', workersPerStage: 2, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'worker-pause', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 3 } }, params: { stage: 'widestFanOut', pauseMs: 2500 } }],
  expect: { verdict: 'pass' },
});
