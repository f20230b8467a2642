/**
 * diagnose end to end, programmatically: 10 real runs on a fresh embedded Redis per transport,
 * results.json checked; worker processes; wide fan-out; the no-fan-in variant fails with evidence.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports } from '../../harness/reporters/write-reports.js';
import { diagnose } from '../../harness/runner/diagnose.js';
import type { DiagnoseResults } from '../../harness/results/types.js';

const STAGES = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'];

function expectHealthyRun(r: DiagnoseResults, runs: number) {
  expect(r.schema).toBe('fanin.results/v1');
  expect(r.verdict).toEqual({ passed: true, exitCode: 0, reasons: [] });
  expect(r.runs).toHaveLength(runs);
  expect(r.runs.every((x) => x.status === 'completed' && x.stage === 'moderation')).toBe(true);
  expect(r.checkers.map((c) => [c.name, c.valid])).toEqual([
    ['completion', true], ['fan-in', true], ['fan-in-commit', true], ['lost-tasks', true], ['duplicates', true], ['executions', true], ['exclusive', true],
    ['integrity', true], ['reference', true], ['latency', true], ['health', true], ['handling', true], ['nemesis', true],
  ]);
  expect(r.metrics).toMatchObject({ runs, completion_rate: 1, completed: runs, failed: 0, timed_out: 0, lost: 0, duplicates: 0, pending: 0, dead_letters: 0, checkers_invalid: 0, wrong_types: 0, task_keys_without_ttl: 0 });
  expect(r.gates.every((g) => g.passed)).toBe(true);
  expect(Object.keys(r.latency.stages)).toEqual(STAGES);
  expect(r.latency.e2e.count).toBe(runs);
  expect(r.health.results).toHaveLength(runs);
  expect(r.health.results.every((x) => x.resolved && x.matches && x.schemaValid)).toBe(true);
  // every run of the same input produces the same final report (content-addressed)
  expect(new Set(r.health.results.map((x) => x.resultHash)).size).toBe(1);
}

describe.each(['streams', 'lists'] as const)('diagnose over %s', (transport) => {
  it('10 runs on embedded Redis pass every gate and checker; results.json is written', async () => {
    const { results, history } = await diagnose({ runs: 10, concurrency: 4, transport });
    expectHealthyRun(results, 10);
    expect(results.config).toMatchObject({ transport, provider: 'embedded', scenario: 'happy-path', variant: null });
    expect(results.metrics.fan_in_violations).toBe(0);
    // 1 pre_test + 5 analyse + 1 synthesis + 2 reviews + 1 moderation per run
    expect(history.filter((e) => e.type === 'completed')).toHaveLength(100);
    const dir = mkdtempSync(join(tmpdir(), 'fanin-reports-'));
    const written = await writeReports(results, history, { dir, formats: ['json', 'markdown', 'junit', 'html'] });
    const parsed = JSON.parse(readFileSync(join(written.dir, 'results.json'), 'utf8')) as DiagnoseResults;
    expect(parsed.id).toBe(results.id);
    expect(parsed.runs).toHaveLength(10);
    expect(readFileSync(join(written.dir, 'history.ndjson'), 'utf8').trim().split('\n')).toHaveLength(history.length);
  });
});

describe('diagnose workloads', () => {
  it('runs workers as separate OS processes and merges their events into one history', async () => {
    const { results, history } = await diagnose({ runs: 4, concurrency: 2, workerMode: 'process', transport: 'lists' });
    expectHealthyRun(results, 4);
    const pids = new Set(history.filter((e) => e.component === 'worker').map((e) => e.pid));
    expect(pids.size).toBe(5);
    expect(pids.has(process.pid)).toBe(false);
  });

  it('wide-fan-out fans out to 28 analyse tasks per experiment and back in', async () => {
    const { results, history } = await diagnose({ runs: 3, scenario: 'wide-fan-out' });
    expectHealthyRun(results, 3);
    const adv = history.filter((e) => e.type === 'stage-advanced' && e.stageIndex === 1).map((e) => e.width);
    expect(adv).toEqual([28, 28, 28]);
  });

  it('the no-fan-in variant fails: every stuck experiment and the stage it stopped at are named', async () => {
    const { results } = await diagnose({ runs: 3, concurrency: 3, variant: 'no-fan-in', runTimeoutMs: 1500 });
    expect(results.verdict.passed).toBe(false);
    expect(results.verdict.exitCode).toBe(1);
    expect(results.metrics).toMatchObject({ completion_rate: 0, timed_out: 3, fan_in_violations: 3 });
    const fanIn = results.checkers.find((c) => c.name === 'fan-in')!;
    const completion = results.checkers.find((c) => c.name === 'completion')!;
    expect(fanIn.valid).toBe(false);
    expect(completion.valid).toBe(false);
    for (const run of results.runs) {
      expect(run).toMatchObject({ status: 'timed-out', stage: 'analyse_batch' });
      expect(fanIn.evidence).toContainEqual(expect.objectContaining({
        experimentId: run.experimentId, stage: 'analyse_batch',
        message: `experiment ${run.experimentId} stopped at analyse_batch: 5/5 tasks completed, corpus_synthesis never enqueued (fan-out without fan-in)`,
      }));
      expect(completion.evidence).toContainEqual(expect.objectContaining({ experimentId: run.experimentId, stage: 'analyse_batch' }));
    }
  });
});

describe('diagnose on an existing Redis (url provider)', () => {
  it('works under its own prefix and removes only its keys afterwards; never flushes', async () => {
    const { EmbeddedRedisProvider } = await import('../../harness/redis/embedded.js');
    const { Redis } = await import('ioredis');
    const server = await new EmbeddedRedisProvider().start();
    const c = new Redis(server.url);
    try {
      await c.set('someone-else:keep', '1');
      await c.lpush('fanin:{fanin:0}:q:review', 'not ours');
      const { results } = await diagnose({ runs: 3, redis: server.url });
      expect(results.config.provider).toBe('url');
      expect(results.verdict.passed).toBe(true);
      expect(results.config.prefix).toMatch(/^fanin-run-[0-9a-f]{8}$/);
      expect(await c.get('someone-else:keep')).toBe('1');
      expect(await c.lrange('fanin:{fanin:0}:q:review', 0, -1)).toEqual(['not ours']);
      expect(await c.keys(`${results.config.prefix}*`)).toEqual([]);
    } finally {
      c.disconnect();
      await server.stop();
    }
  });
});
