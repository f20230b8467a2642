import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Hostile producers write into the analyse_batch queue, in the core's own message layout,
 * messages naming a foreign application's keys outside the run's prefix (a secret string and
 * hash; one message names a running experiment's task), keys under the prefix of the wrong
 * type at the keys the core derives for made-up experiments, unknown experiments (with and
 * without planted task data), and garbage. The fault checks that each one ends in the dead
 * letter with a reason, that no command named a foreign key (MONITOR) and none changed, and
 * that the named experiment did not fail. Leases are 2 s, so a delivery that cannot be loaded
 * and is redelivered (until the worker's maxDeliveries) ends within seconds; the fault waits up to
 * 40 s for every dead letter, as redeliveries wait for free slots on a busy machine. Expected: every
 * real experiment completes.
 */
export default defineScenario({
  name: 'hostile-messages',
  description: 'garbage and messages naming foreign keys, wrong-type keys under the prefix and unknown experiments pushed into the analyse_batch queue while tasks run',
  workload: { runTimeoutMs: 60_000 },
  setup: {
    // a delivery Redis refuses to load (WRONGTYPE) is redelivered after the lease until maxDeliveries: 2 s leases keep that within the run
    visibilityTimeoutMs: 2000, heartbeatTtlMs: 2000, maintenanceIntervalMs: 100,
    agentFaults: [{ stage: 'widestFanOut', kind: 'slow', index: 'all', attempts: 100, ms: 1500 }],
  },
  nemesis: [{ fault: 'hostile-messages', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 1 } }, params: { stage: 'widestFanOut', withinMs: 40_000 } }],
  expect: { verdict: 'pass', deadLetters: true, deadLettered: 'every-injected-poison' },
});
