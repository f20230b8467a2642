import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Redis without persistence restarted mid-run: the state is gone. The harness must report the
 * lost experiments with the cause within the run timeout (no hang, no false pass).
 */
export default defineScenario({
  name: 'redis-restart-volatile',
  description: 'SIGKILL redis-server (no persistence) mid-run and restart it: in-flight experiments are lost',
  workload: { runTimeoutMs: 8000 },
  setup: { redisPersistence: 'none', latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'redis-restart', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 4 } } }],
  expect: { verdict: 'fail' },
  recoverable: false,
});
