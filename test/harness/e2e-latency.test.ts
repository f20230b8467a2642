/**
 * One end-to-end latency: the gate metrics e2e.*, results.latency.e2e, each completed run's
 * duration and every figure the reporters show come from one computation.
 */
import { describe, expect, it } from 'vitest';
import { endToEndLatencies } from '../../harness/checkers/latency.js';
import { renderConsole } from '../../harness/reporters/console.js';
import { formatMs } from '../../harness/reporters/format.js';
import { REPORTERS } from '../../harness/reporters/index.js';
import { diagnose } from '../../harness/runner/diagnose.js';
import { Chalk } from 'chalk';

describe('end-to-end latency is one computation', () => {
  it('metrics, latency.e2e, run durations and every reporter agree', async () => {
    const { results, history } = await diagnose({ runs: 4, concurrency: 2, latencyModel: 'llm' });
    const e = results.latency.e2e;
    expect(e.count).toBe(4);
    expect({ p50: results.metrics['e2e.p50'], p95: results.metrics['e2e.p95'], p99: results.metrics['e2e.p99'], max: results.metrics['e2e.max'] })
      .toEqual({ p50: e.p50, p95: e.p95, p99: e.p99, max: e.max });
    const perExperiment = new Map(endToEndLatencies(history).map((x) => [x.experimentId, x.ms]));
    for (const run of results.runs) expect(run.durationMs).toBe(perExperiment.get(run.experimentId));
    expect(Math.max(...results.runs.map((r) => r.durationMs))).toBe(e.max);

    const consoleText = renderConsole(results, new Chalk({ level: 0 }));
    expect(consoleText).toContain(`p95 ${formatMs(e.p95)}`);
    expect(REPORTERS.markdown.render(results, history)).toContain(`| **end-to-end** | 4 | ${formatMs(e.p50)} | ${formatMs(e.p95)} |`);
    expect(REPORTERS.html.render(results, history)).toContain(formatMs(e.p95));
    const junit = REPORTERS.junit.render(results, history);
    for (const run of results.runs) expect(junit).toContain(`time="${(run.durationMs / 1000).toFixed(3)}"`);
  });
});
