import { defineScenario } from '../harness/scenario/define-scenario.js';

/** Already completed tasks delivered again: the completion guard makes every duplicate a no-op. */
export default defineScenario({
  name: 'duplicate-delivery',
  description: 'messages of 6 completed tasks pushed back into their queues mid-run',
  setup: { latencyModel: 'llm' },
  nemesis: [{ fault: 'duplicate-delivery', trigger: { on: { type: 'experiment-completed', nth: 1 } }, params: { count: 6 } }],
  expect: { verdict: 'pass' },
});
