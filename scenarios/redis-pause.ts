import { defineScenario } from '../harness/scenario/define-scenario.js';

/** SIGSTOP redis-server for 2 s, then SIGCONT: calls wait or time out and retry; all complete. */
export default defineScenario({
  name: 'redis-pause',
  description: 'SIGSTOP redis-server for 2 s mid-run, then SIGCONT',
  setup: { latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'redis-pause', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 3 } }, params: { pauseMs: 2000 } }],
  expect: { verdict: 'pass' },
});
