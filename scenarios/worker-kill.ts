import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * SIGKILL a worker process of the widest fan-out mid-task: every task it held must be delivered
 * again to another worker and completed (required); every experiment completes once.
 */
export default defineScenario({
  name: 'worker-kill',
  description: 'SIGKILL an analyse_batch worker process when the 2nd analyse task of run 2 is claimed (restarted after 300 ms)',
  setup: { workerMode: 'process', workersPerStage: 2, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'worker-kill', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 2, experiment: 2 } }, params: { stage: 'widestFanOut', restartAfterMs: 300 } }],
  expect: { verdict: 'pass', redelivered: 'every-task-of-killed-worker' },
});
