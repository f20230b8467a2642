import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * SIGSTOP a worker past its lease, then SIGCONT: its tasks are reclaimed and its late
 * completions are no-ops. Leases of 2 s (renewed every 500 ms) and a 5 s pause: with 0.8 s
 * leases, a 2-core machine running other suites delayed live workers' renewals past the lease
 * (a starved process, or Redis serving a reclaim before a renewal already sent), and those
 * tasks ran twice by the lease's design, not because of the fault.
 */
export default defineScenario({
  name: 'worker-pause',
  description: 'SIGSTOP an analyse_batch worker process for 5 s (past the 2 s visibility timeout and heartbeat TTL), then SIGCONT',
  setup: { workerMode: 'process', workersPerStage: 2, latencyModel: 'llm', visibilityTimeoutMs: 2000, heartbeatTtlMs: 2000, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'worker-pause', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 3 } }, params: { stage: 'widestFanOut', pauseMs: 5000 } }],
  expect: { verdict: 'pass' },
});
