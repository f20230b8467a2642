import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Retention and task TTL shorter than a stage: the pipeline's retentionMs and taskTtlMs are
 * 2.5 s while every analyse_batch task takes 6 s (the harness verifies each ended experiment
 * when its wait returns, which on a busy machine can take over a second); two runs of 10
 * analyse tasks each are in flight against 16 worker slots, so tasks wait in the queue longer
 * than the task TTL, and one experiment ends while another still needs the inputs and
 * artifacts they share. Nothing a running experiment owns or reads may
 * expire; each ended experiment is verified when its wait returns, before its own retention
 * runs out. Expected: every experiment completes with a verified, schema-valid result.
 */
export default defineScenario({
  name: 'short-retention',
  description: 'retentionMs and taskTtlMs 2.5 s while every analyse_batch task takes 6 s and waits longer than that in the queue; runs overlap, so one ends while another still runs',
  workload: { concurrency: 2, corpusCopies: 2, runTimeoutMs: 40_000 },
  setup: {
    retentionMs: 2500,
    taskTtlMs: 2500,
    agentFaults: [{ stage: 'widestFanOut', kind: 'slow', index: 'all', attempts: 100, ms: 6000 }],
  },
  expect: { verdict: 'pass' },
});
