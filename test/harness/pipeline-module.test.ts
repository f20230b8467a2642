/**
 * `diagnose --pipeline`: a user's pipeline of another shape (word_count: plan fans out
 * dynamically to 6 count tasks under a continue policy, merge joins them, report ends it; a
 * golden reference) runs with everything the built-in pipeline gets — inline and as worker
 * processes under worker-kill; a planted bug fails with the reference evidence; stub agents run
 * the coordination alone and the report says so. Real redis-server (embedded provider).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../harness/runner/diagnose.js';
import { renderConsole } from '../../harness/reporters/console.js';
import type { DiagnoseResults } from '../../harness/results/types.js';

const PIPELINES = join(import.meta.dirname, 'fixtures/pipelines');
const WORD_COUNT = join(PIPELINES, 'word-count.ts');
const STAGES = ['plan', 'count', 'merge', 'report'];

function checkers(r: DiagnoseResults) {
  return Object.fromEntries(r.checkers.map((c) => [c.name, c.valid]));
}

function expectPassed(r: DiagnoseResults, runs: number) {
  expect(r.verdict).toEqual({ passed: true, exitCode: 0, reasons: [] });
  expect(r.runs).toHaveLength(runs);
  expect(r.runs.every((x) => x.status === 'completed' && x.stage === 'report')).toBe(true);
  expect(Object.values(checkers(r)).every((v) => v === true)).toBe(true);
  expect(Object.keys(r.latency.stages)).toEqual(STAGES);
  expect(r.config).toMatchObject({ pipeline: 'word_count', pipelineModule: WORD_COUNT, corpus: null, framework: null, batchSize: null });
}

describe('diagnose --pipeline on a pipeline of another shape', () => {
  it('happy path, inline workers: every checker valid against the golden reference and the schemas', async () => {
    const { results, history } = await diagnose({ pipeline: WORD_COUNT, runs: 4, concurrency: 2 });
    expectPassed(results, 4);
    expect(results.config.stubAgents).toBe(false);
    expect(results.checkers.find((c) => c.name === 'reference')!.summary).toBe('4 completed experiments reproduce the golden reference');
    // 1 plan + 6 count + 1 merge + 1 report per run
    expect(history.filter((e) => e.type === 'completed' && e.stage === 'count')).toHaveLength(24);
    expect(history.filter((e) => e.type === 'completed')).toHaveLength(36);
    // each run submits its own input: runs 1 and 4 share one, so 3 distinct final results
    expect(new Set(results.health.results.map((x) => x.resultHash)).size).toBe(3);
  });

  it('worker-kill: a worker process of the dynamic stage SIGKILLed mid-run, its tasks redelivered', async () => {
    const { results, history } = await diagnose({ pipeline: WORD_COUNT, scenario: 'worker-kill', runs: 4 });
    expectPassed(results, 4);
    expect(results.config.workerMode).toBe('process');
    const nemesis = history.filter((e) => e.type === 'nemesis');
    expect(nemesis.some((e) => JSON.stringify(e).includes('count'))).toBe(true);
    expect(history.some((e) => e.component === 'worker' && e.pid !== process.pid)).toBe(true);
  });

  it('a planted bug (a placeholder for every odd index) fails with the reference evidence naming the stage', async () => {
    const { results } = await diagnose({ pipeline: join(PIPELINES, 'word-count-bug.ts'), runs: 3 });
    expect(results.verdict.exitCode).toBe(1);
    expect(checkers(results)).toMatchObject({ reference: false, integrity: true, completion: true });
    const ev = results.checkers.find((c) => c.name === 'reference')!.evidence;
    expect(ev).toHaveLength(3);
    // the golden answer gives only the final result: the mismatch is traced to the stage whose outputs first hold the wrong value
    expect(ev[0]).toMatchObject({ stage: 'count' });
    expect(ev[0].message).toMatch(/\(report output\) differs from the golden reference [0-9a-f]{64}: got \{"longest":"placeholder",.*\}, expected \{"longest":"sleeps","words":20\}/);
    expect(ev[0].message).toContain('the handlers run in memory on the same input give the same result: a handler computes it wrongly (not the coordination); "placeholder" first appears in the output of count tasks 1, 3, 5 (of 6)');
  });

  it('an output its stage schema rejects fails integrity, naming the stage and the task', async () => {
    const { results } = await diagnose({ pipeline: join(PIPELINES, 'word-count-schema.ts'), runs: 2 });
    expect(results.verdict.exitCode).toBe(1);
    expect(checkers(results).integrity).toBe(false);
    const all = results.checkers.find((c) => c.name === 'integrity')!.evidence;
    // the text count also spoils the final report (words as text): its schema rejects it too
    expect(all.filter((e) => e.stage === 'report').every((e) => /fails the report schema/.test(e.message))).toBe(true);
    const ev = all.filter((e) => e.stage === 'count');
    expect(ev).toHaveLength(2);
    expect(ev[0]).toMatchObject({ stage: 'count', taskId: `${results.runs[0].experimentId}/1/2` });
    expect(ev[0].message).toMatch(/fails the count schema: words: Expected number, received string/);
  });

  it('--stub-agents: coordination only, stubFanOut tasks, schemas and reference skipped, and the report says so', async () => {
    const { results, history } = await diagnose({ pipeline: WORD_COUNT, runs: 3, stubAgents: true });
    expectPassed(results, 3);
    expect(results.config.stubAgents).toBe(true);
    expect(history.filter((e) => e.type === 'completed' && e.stage === 'count')).toHaveLength(12);
    expect(results.notes).toEqual([
      'stub agents: every handler replaced by a stub whose output is a hash of its stage, index and inputs',
      'reference skipped: stub agents replaced the handlers (--stub-agents)',
      'schemas skipped (count, report): stub agents replaced the handlers (--stub-agents)',
    ]);
    expect(results.checkers.find((c) => c.name === 'reference')!.summary).toBe('reference skipped: stub agents replaced the handlers (--stub-agents)');
    expect(renderConsole(results)).toMatch(/note: stub agents: every handler replaced/);
  });

  it('the config file can name the pipeline module and stub agents', async () => {
    const { results } = await diagnose({ runs: 2, file: { pipeline: WORD_COUNT, stubAgents: true } });
    expect(results.verdict.passed).toBe(true);
    expect(results.config).toMatchObject({ pipeline: 'word_count', stubAgents: true });
  });
});
