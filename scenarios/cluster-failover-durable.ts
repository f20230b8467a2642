import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * cluster-failover with the core's `durableWrites: 'replicas'`: every commit (submit, task
 * completion and fan-in, failure, dead letter) waits until a replica has it (WAIT) before the
 * step counts as done. A failover then loses no acknowledged write, so nothing is excused:
 * every experiment completes, no agent runs again after its success was committed, no result
 * is counted twice (no `lostWrites` allowance, unlike cluster-failover).
 */
export default defineScenario({
  name: 'cluster-failover-durable',
  description: 'cluster-failover with durableWrites replicas (WAIT after every commit): the promoted replica has every acknowledged write; strict verdict, no re-execution excused',
  setup: { cluster: { masters: 3, replicas: 1 }, durableWrites: 'replicas', latencyModel: 'llm', visibilityTimeoutMs: 800, heartbeatTtlMs: 800, maintenanceIntervalMs: 100 },
  workload: { runTimeoutMs: 30_000 },
  nemesis: [{ fault: 'cluster-failover', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 4 } }, params: { shard: 0, restartAfterMs: 1000 } }],
  expect: { verdict: 'pass' },
});
