import { defineScenario } from '../harness/scenario/define-scenario.js';

/** The reference pipeline on the fixture corpus, no faults: every run must complete cleanly. */
export default defineScenario({
  name: 'happy-path',
  description: 'constitutional analysis of the fixture corpus (5 analyse tasks per experiment), no faults',
  workload: { batchSize: 3 },
  expect: { verdict: 'pass' },
});
