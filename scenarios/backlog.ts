import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * A backlog larger than the stream cap: every stream is capped at 100 entries (the core's
 * minimum), each experiment fans out to 112 analyse_batch tasks (corpus ×8, batch size 1), and
 * the workers start only after every run in flight was submitted — the analyse_batch workers
 * a second later still, so hundreds of analyse tasks queue before anyone consumes them. A
 * queue trimmed by length would drop undelivered tasks; nothing may be lost.
 */
export default defineScenario({
  name: 'backlog',
  description: 'streams capped at 100 entries, 112 analyse_batch tasks per experiment queued before any analyse worker exists (workers start after the submits, analyse 1 s later)',
  // the scenario is about loss, not speed: 11,200 tasks at --runs 100 took 5 s per run (p95)
  // on a quiet machine and over 60 s for some runs on one six times slower; 180 s is a hang
  workload: { batchSize: 1, corpusCopies: 8, runTimeoutMs: 180_000 },
  setup: {
    maxStreamLength: 100,
    workersStartAfterSubmit: true,
    workerStartDelayMs: { widestFanOut: 1000 },
  },
  expect: { verdict: 'pass' },
});
