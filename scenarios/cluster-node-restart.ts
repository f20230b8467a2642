import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * A master of a local Redis Cluster (3 masters, no replicas, AOF with appendfsync always on
 * every node) is SIGKILLed mid-run and started again on its ports with its nodes.conf: it
 * rejoins with its node id, its slots and (AOF) its data, so nothing is lost. The master hit is
 * the one serving shard 0 (every experiment of a 1-shard run).
 */
export default defineScenario({
  name: 'cluster-node-restart',
  description: 'Redis Cluster (3 masters, AOF): SIGKILL the master serving shard 0 when the 4th analyse task is claimed, restart it on its ports with its nodes.conf after 300 ms',
  setup: { cluster: { masters: 3, replicas: 0 }, redisPersistence: 'aof', latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  nemesis: [{ fault: 'cluster-node-restart', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 4 } }, params: { shard: 0, downMs: 300 } }],
  expect: { verdict: 'pass' },
});
