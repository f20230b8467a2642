import { defineScenario } from '../harness/scenario/define-scenario.js';

/** Redis with appendonly yes + appendfsync always, killed and restarted mid-run: nothing is lost. */
export default defineScenario({
  name: 'redis-restart-aof',
  description: 'SIGKILL redis-server (AOF, fsync always) mid-run and restart it on the same port',
  setup: { redisPersistence: 'aof', latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'redis-restart', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 4 } } }],
  expect: { verdict: 'pass' },
});
