import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * The slot of shard 0 (every key of a 1-shard run) moves to another master of a local Redis
 * Cluster while the pipeline runs: MIGRATE in batches of 5 keys with 20 ms between them, so the
 * run's commands and Lua scripts meet ASK and TRYAGAIN mid-migration and MOVED after it.
 */
export default defineScenario({
  name: 'cluster-slot-migration',
  description: 'Redis Cluster (3 masters): move the slot of shard 0 to another master when the 2nd analyse task is claimed (SETSLOT IMPORTING/MIGRATING, MIGRATE in batches of 5, SETSLOT NODE)',
  setup: { cluster: { masters: 3, replicas: 0 }, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'cluster-slot-migration', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 2 } }, params: { shard: 0, batch: 5, pauseMs: 20 } }],
  expect: { verdict: 'pass' },
});
