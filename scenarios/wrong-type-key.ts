import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * A foreign component writes the other coordination pattern into a stage queue key: the
 * workers of that stage get WRONGTYPE; the health checker names the key. Expected: failure detected.
 */
export default defineScenario({
  name: 'wrong-type-key',
  description: 'corpus_synthesis queue replaced by the other pattern (LPUSH into the stream key / XADD into the list key)',
  workload: { runTimeoutMs: 3000 },
  setup: { latencyModel: 'llm' },
  nemesis: [{ fault: 'wrong-type-key', trigger: { on: { type: 'claimed', stage: 'first', nth: 1 } }, params: { stage: 'fanIn' } }],
  expect: { verdict: 'fail' },
  recoverable: false,
});
