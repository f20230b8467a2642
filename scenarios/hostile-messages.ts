import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Hostile producers write into the analyse_batch queue, in the core's own message layout,
 * messages naming a foreign application's keys outside the run's prefix (a secret string and
 * hash; one message names a running experiment's task), keys under the prefix of the wrong
 * type at the keys the core derives for made-up experiments, unknown experiments (with and
 * without planted task data), and garbage. The fault checks that each one ends in the dead
 * letter with a reason, that no command named a foreign key (MONITOR) and none changed, and
 * that the named experiment did not fail. Expected: every real experiment completes.
 */
export default defineScenario({
  name: 'hostile-messages',
  description: 'garbage and messages naming foreign keys, wrong-type keys under the prefix and unknown experiments pushed into the analyse_batch queue while tasks run',
  workload: { runTimeoutMs: 30_000 },
  setup: {
    agentFaults: [{ stage: 'analyse_batch', kind: 'slow', index: 'all', attempts: 100, ms: 1500 }],
  },
  nemesis: [{ fault: 'hostile-messages', trigger: { on: { type: 'claimed', stage: 'analyse_batch', nth: 1 } }, params: { stage: 'analyse_batch' } }],
  expect: { verdict: 'pass', deadLetters: true },
});
