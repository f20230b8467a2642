import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Already completed tasks delivered again: the completion guard makes every duplicate a no-op.
 * Injected when the first last-stage task is claimed, while experiments are still in flight (at
 * the first experiment's completion, a busy machine could end the whole run first and leave the
 * copies unread: 'lag' in the health check, not a fault of the system).
 */
export default defineScenario({
  name: 'duplicate-delivery',
  description: 'messages of 6 completed tasks pushed back into their queues mid-run',
  setup: { latencyModel: 'llm' },
  nemesis: [{ fault: 'duplicate-delivery', trigger: { on: { type: 'claimed', stage: 'last', nth: 1 } }, params: { count: 6 } }],
  expect: { verdict: 'pass' },
});
