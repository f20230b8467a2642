/**
 * `fanin diagnose --pipeline` and `fanin worker --pipeline` as real processes: a module path
 * relative to the user's working directory (not fanin's), worker processes loading it, stub
 * agents; bad modules exit 2 with the problem and the fix.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnoseResults } from '../../harness/results/types.js';
import { fanin } from './cli-helpers.js';

const PIPELINES = join(import.meta.dirname, 'fixtures/pipelines');
const reportDir = mkdtempSync(join(tmpdir(), 'fanin-cli-pipeline-'));

describe('fanin diagnose --pipeline', () => {
  it('a relative path from the working directory, worker processes and stub agents: exit 0, the report says so', async () => {
    const r = await fanin(['diagnose', '--pipeline', './word-count.ts', '--runs', '2', '--worker-mode', 'process', '--stub-agents', '--json', '--report-dir', reportDir], {}, PIPELINES);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as DiagnoseResults;
    expect(results.config).toMatchObject({ pipeline: 'word_count', pipelineModule: './word-count.ts', stubAgents: true, workerMode: 'process' });
    // per run: 1 plan + 4 stub count tasks (stubFanOut) + 1 merge + 1 report
    expect(results.checkers.find((c) => c.name === 'lost-tasks')!.summary).toBe('no lost tasks (14 enqueued)');
    expect(results.notes?.[0]).toMatch(/^stub agents: /);
  });

  it('a module without a handler for a stage → 2, naming the stage and the fix', async () => {
    const r = await fanin(['diagnose', '--pipeline', join(PIPELINES, 'missing-handler.mjs'), '--runs', '1', '--report-dir', reportDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stage "merge" of pipeline broken has no handler; fix: add `merge: async (ctx) => ({ output })` to handlers');
  });

  it('a module that does not export definePipeline\'s result → 2; --corpus with --pipeline → 2', async () => {
    const r = await fanin(['diagnose', '--pipeline', join(PIPELINES, 'not-defined.mjs'), '--runs', '1', '--report-dir', reportDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no default export \(exports: handlers, pipeline\); fix: .*export default definePipeline\(\{ pipeline, handlers, inputs \}\)/);
    const c = await fanin(['diagnose', '--pipeline', join(PIPELINES, 'word-count.ts'), '--corpus', 'fixtures/corpus', '--report-dir', reportDir]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("--corpus set the built-in pipeline's input; a pipeline module gives its own `inputs`");
  });
});

describe('fanin worker --pipeline', () => {
  it('a bad module, or a stage the pipeline does not have → 2', async () => {
    const bad = await fanin(['worker', '--pipeline', join(PIPELINES, 'not-defined.mjs'), '--stage', 'only']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('has no default export');
    const stage = await fanin(['worker', '--pipeline', join(PIPELINES, 'word-count.ts'), '--stage', 'nope']);
    expect(stage.code).toBe(2);
    expect(stage.stderr).toContain('no stage "nope" in pipeline word_count');
    expect(stage.stderr).toContain('its stages: plan, count, merge, report');
  });
});
