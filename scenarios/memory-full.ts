import { defineScenario } from '../harness/scenario/define-scenario.js';

/**
 * Redis runs out of memory mid-run: the harness's Redis gets a 32 MB maxmemory with
 * `noeviction`, and while analyse_batch tasks (1.5 s each) run, filler keys (outside the run's
 * prefix) fill it until writes get `OOM command not allowed`; it stays full for 3 s, then the
 * filler is deleted. Two runs are in flight, so later runs are submitted into the full Redis.
 * Submits, claims, heartbeats, completions and waits meet OOM meanwhile: the core must report
 * it as a typed error (REDIS_OOM, which the harness's client retries like an outage) and
 * resume once memory is free. Stage deadlines (60 s) are far beyond the outage. Expected:
 * every experiment completes, nothing lost or doubled.
 */
export default defineScenario({
  name: 'memory-full',
  description: 'Redis maxmemory 32 MB (noeviction) filled with filler keys until writes get OOM while analyse_batch tasks run and later runs are submitted, held 3 s, then freed',
  workload: { concurrency: 2, runTimeoutMs: 30_000 },
  setup: {
    redisMaxMemoryMb: 32,
    visibilityTimeoutMs: 5000,
    heartbeatTtlMs: 5000,
    agentFaults: [{ stage: 'widestFanOut', kind: 'slow', index: 'all', attempts: 100, ms: 1500 }],
  },
  nemesis: [{ fault: 'memory-full', trigger: { on: { type: 'claimed', stage: 'widestFanOut', nth: 1 } }, params: { holdMs: 3000 } }],
  expect: { verdict: 'pass' },
});
