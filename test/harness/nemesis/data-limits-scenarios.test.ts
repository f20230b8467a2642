/**
 * The issue-10 scenarios, beyond their verdict (scenarios.test.ts): what each one must have
 * exercised — a retention and task TTL shorter than the stage and than the wait in the queue,
 * a Redis full to OOM and freed again, and hostile messages that all end in the dead letter
 * with a reason while foreign keys stay untouched — and that every real experiment completed.
 */
import { describe, expect, it } from 'vitest';
import { catalogLines } from '../../../harness/runner/matrix.js';
import { diagnose } from '../../../harness/runner/diagnose.js';
import { loadScenario } from '../../../harness/scenario/load-scenario.js';

const NAMES = ['short-retention', 'memory-full', 'hostile-messages'];

describe('the issue-10 scenarios in the catalog', () => {
  it('are listed, expecting pass', async () => {
    const lines = await catalogLines();
    for (const name of NAMES) expect(lines.find((l) => l.startsWith(`${name} `))).toMatch(/expect pass /);
  });

  it('retention and task TTL are shorter than a stage; Redis is capped; memory stays full for seconds, far less than a stage deadline', async () => {
    const s = await loadScenario('short-retention');
    const slow = s.setup.agentFaults.find((f) => f.stage === 'widestFanOut' && f.kind === 'slow');
    expect(slow).toMatchObject({ index: 'all' });
    expect(s.setup.retentionMs).toBe(2500);
    expect(s.setup.taskTtlMs).toBe(2500);
    expect(slow!.ms).toBeGreaterThan(2 * s.setup.retentionMs!);
    const m = await loadScenario('memory-full');
    expect(m.setup.redisMaxMemoryMb).toBeLessThanOrEqual(64);
    const hold = m.nemesis[0].params.holdMs as number;
    expect(hold).toBeGreaterThanOrEqual(2000);
    expect(Object.values(m.setup.pipeline).every((o) => o.timeoutMs === undefined || o.timeoutMs > 10 * hold)).toBe(true);
    expect((await loadScenario('hostile-messages')).expect.deadLetters).toBe(true);
  });
});

describe.each(['streams', 'lists'] as const)('issue-10 scenarios over %s', (transport) => {
  it('short-retention: tasks wait longer than their TTL, every experiment completes with a verified result', async () => {
    const { results, history } = await diagnose({ scenario: 'short-retention', transport, runs: 3 });
    expect(results.verdict.reasons).toEqual([]);
    expect(results.metrics).toMatchObject({ completion_rate: 1, lost: 0, integrity_violations: 0, dead_letters: 0 });
    // a task waited in its queue longer than the 2.5 s task TTL before it was claimed
    const enqueuedAt = new Map(history.filter((e) => e.type === 'enqueued' && e.taskId).map((e) => [e.taskId!, e.ts]));
    const waits = history.filter((e) => e.type === 'claimed' && e.stage === 'analyse_batch').map((e) => e.ts - (enqueuedAt.get(e.taskId!) ?? e.ts));
    expect(Math.max(...waits)).toBeGreaterThan(2500);
    // the same input gives the same final report, verified (schema, hash) before it expired
    expect(results.health.results).toHaveLength(3);
    expect(results.health.results.every((r) => r.resolved && r.matches && r.schemaValid)).toBe(true);
    expect(new Set(results.health.results.map((r) => r.resultHash)).size).toBe(1);
  }, 120_000);

  it('memory-full: Redis filled until OOM, held, freed; every experiment completes, nothing lost or doubled', async () => {
    const { results, history } = await diagnose({ scenario: 'memory-full', transport, runs: 3 });
    const faults = history.filter((e) => e.type === 'nemesis').map((e) => e.cause ?? '');
    expect(faults).toEqual([expect.stringMatching(/^memory-full: filled [\d.]+ MB \(\d+ keys filler:.*\) into maxmemory 32 MB .* until writes got "OOM command not allowed.*; held full \d{4,} ms .*writes accepted again at epoch \d+/)]);
    expect(results.verdict.reasons).toEqual([]);
    expect(results.metrics).toMatchObject({ completion_rate: 1, lost: 0, duplicates: 0, pending: 0 });
  }, 60_000);

  it('hostile-messages: each injected message is dead-lettered with a reason, foreign keys untouched, real experiments complete', async () => {
    const { results, history } = await diagnose({ scenario: 'hostile-messages', transport, runs: 3 });
    const faults = history.filter((e) => e.type === 'nemesis').map((e) => e.cause ?? '');
    expect(faults).toEqual([expect.stringMatching(/^hostile-messages: 8 hostile messages into \S+, each dead-lettered with a reason \(.*\); foreign keys app:secret:\S+, app:config:\S+ named by no command and unchanged; real experiment \S+ named by a message: (running|completed)/)]);
    expect(results.verdict.reasons).toEqual([]);
    expect(results.metrics).toMatchObject({ completion_rate: 1, lost: 0, duplicates: 0, pending: 0 });
    expect(results.metrics.dead_letters).toBeGreaterThanOrEqual(8);
  }, 60_000);
});
