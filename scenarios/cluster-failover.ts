import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * The master serving shard 0 of a local Redis Cluster (3 masters, 1 replica each,
 * cluster-node-timeout 2 s) is SIGKILLed mid-run; its replica is promoted. Replication is
 * asynchronous: a write the dead master acknowledged but had not sent to its replica is lost,
 * so re-executions are allowed and an experiment may fail, but only with a cause naming the
 * lost state (see expect.lostWrites); every experiment ends and no result is counted twice.
 */
export default defineScenario({
  name: 'cluster-failover',
  description: 'Redis Cluster (3 masters, 1 replica each): SIGKILL the master serving shard 0 when the 4th analyse task is claimed; its replica is promoted; the old master rejoins as a replica 1 s later',
  setup: { cluster: { masters: 3, replicas: 1 }, latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  workload: { runTimeoutMs: 30_000 },
  nemesis: [{ fault: 'cluster-failover', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 4 } }, params: { shard: 0, restartAfterMs: 1000 } }],
  expect: { verdict: 'pass', lostWrites: 'at-failover' },
});
