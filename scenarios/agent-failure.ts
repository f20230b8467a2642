import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * The agent throws for one batch on every attempt: retried, then after maxAttempts the
 * analyse_batch fan-in policy (fail) fails each experiment with the cause. Expected: failure
 * detected and reported with causes.
 */
export default defineScenario({
  name: 'agent-failure',
  description: 'analyse_batch task 1 throws on every attempt: 3 attempts, dead letter, experiment failed with the cause',
  workload: { runTimeoutMs: 8000 },
  setup: { agentFaults: [{ stage: 'widestFanOut', kind: 'throw', index: 1, attempts: 100 }] },
  expect: { verdict: 'fail', deadLetters: true },
  recoverable: false,
});
