import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * A wide fan-out: the corpus twice (28 documents), one document per analyse task, so every
 * experiment fans out to 28 analyse_batch tasks and fans them all back in.
 */
export default defineScenario({
  name: 'wide-fan-out',
  description: '28 analyse_batch tasks per experiment (corpus ×2, batch size 1), no faults',
  workload: { batchSize: 1, corpusCopies: 2 },
  expect: { verdict: 'pass' },
});
