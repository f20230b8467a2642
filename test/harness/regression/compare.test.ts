import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReporter } from '../../../harness/reporters/json.js';
import { compareResults, formatComparison, loadResults } from '../../../harness/regression/compare.js';
import { ConfigError } from '../../../src/errors.js';
import { sampleResults } from '../fixtures/sample-results.js';

/** A healthy baseline: all 3 runs completed, every checker valid, faster p95s. */
function baseline() {
  const r = sampleResults({ id: 'diag-base' });
  r.runs = r.runs.map((x) => ({ ...x, status: 'completed' as const, cause: '', stage: 'moderation' }));
  r.metrics = { ...r.metrics, completion_rate: 1, lost: 0 };
  r.checkers = r.checkers.map((c) => ({ ...c, valid: true as const, evidence: [] }));
  return r;
}

describe('compareResults', () => {
  it('detects a completion drop, a new violation and p95 growth past the tolerance', () => {
    const base = baseline();
    const cur = sampleResults();
    base.metrics['e2e.p95'] = cur.metrics['e2e.p95']! / 1.5; // current is +50 %
    base.metrics['stage.review.p95'] = cur.metrics['stage.review.p95']! / 1.1; // +10 %: within 20 %
    const r = compareResults(base, cur, { tolerance: 0.2 });
    expect(r.passed).toBe(false);
    expect(r.baseline).toBe('diag-base');
    expect(r.completionRate.regressed).toBe(true);
    expect(r.completionRate.baseline).toBe(1);
    expect(r.completionRate.current).toBeCloseTo(2 / 3);
    expect(r.completionRate.delta).toBeCloseTo(-1 / 3);
    expect(r.newViolations).toEqual(['no-lost-tasks']);
    const e2e = r.latency.find((l) => l.metric === 'e2e.p95')!;
    expect(e2e.ratio).toBeCloseTo(1.5);
    expect(e2e.regressed).toBe(true);
    expect(r.latency.find((l) => l.metric === 'stage.review.p95')!.regressed).toBe(false);
    expect(r.latency.filter((l) => l.regressed).map((l) => l.metric)).toEqual(['e2e.p95']);
    expect(r.latency.map((l) => l.metric)).not.toContain('e2e.p99');
    expect(r.reasons).toHaveLength(3);
    expect(r.reasons[0]).toBe('Completion rate dropped from 100.0% to 66.7% (-33.3 points).');
    expect(r.reasons[1]).toBe('Checker no-lost-tasks was valid in the baseline and is now invalid.');
    expect(r.reasons[2]).toMatch(/^e2e\.p95 grew from 1786\.7 ms to 2680 ms \(×1\.50, more than the 20% tolerance\)\.$/);

    const text = formatComparison(r);
    expect(text).toContain('Regression check against diag-base (p95 tolerance 20%): REGRESSED');
    expect(text).toMatch(/completion_rate\s+100\.0%\s+66\.7%\s+-33\.3 pt\s+REGRESSED/);
    expect(text).toMatch(/checker no-lost-tasks\s+valid\s+not valid\s+REGRESSED/);
    expect(text).toMatch(/e2e\.p95\s+1786\.7 ms\s+2680 ms\s+×1\.50\s+REGRESSED/);
    expect(text).toMatch(/stage\.review\.p95\s+236\.4 ms\s+260 ms\s+×1\.10\s+ok/);
  });

  it('finds no regression on identical inputs', () => {
    const r = compareResults(sampleResults(), sampleResults(), { baselineName: 'main' });
    expect(r.passed).toBe(true);
    expect(r.baseline).toBe('main');
    expect(r.tolerance).toBe(0.2);
    expect(r.completionRate.regressed).toBe(false);
    expect(r.newViolations).toEqual([]);
    expect(r.latency).toHaveLength(6);
    expect(r.latency.every((l) => l.ratio === 1 && !l.regressed)).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(formatComparison(r)).toContain(': PASSED');
  });

  it('counts a checker that became unknown, and ignores zero or missing baselines', () => {
    const base = baseline();
    const cur = baseline();
    cur.checkers[3] = { ...cur.checkers[3]!, valid: 'unknown' };
    base.metrics['stage.moderation.p95'] = 0;
    delete cur.metrics['stage.review.p95'];
    const r = compareResults(base, cur);
    expect(r.newViolations).toEqual(['no-fake-success']);
    expect(r.reasons).toEqual(['Checker no-fake-success was valid in the baseline and is now unknown.']);
    expect(r.latency.map((l) => l.metric)).toEqual(['e2e.p95', 'stage.pre_test.p95', 'stage.analyse_batch.p95', 'stage.corpus_synthesis.p95']);
  });

  it('treats growth exactly at the tolerance as no regression', () => {
    const base = sampleResults();
    const cur = sampleResults();
    base.metrics = { 'e2e.p95': 100 };
    cur.metrics = { 'e2e.p95': 120 };
    expect(compareResults(base, cur, { tolerance: 0.2 }).passed).toBe(true);
    cur.metrics = { 'e2e.p95': 121 };
    expect(compareResults(base, cur, { tolerance: 0.2 }).passed).toBe(false);
  });

  it('rejects a negative tolerance', () => {
    expect(() => compareResults(sampleResults(), sampleResults(), { tolerance: -0.1 })).toThrow(ConfigError);
  });
});

describe('loadResults', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fanin-compare-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const p = path.join(dir, name);
    await writeFile(p, text, 'utf8');
    return p;
  }

  it('loads a results.json written by the json reporter', async () => {
    const p = await file('ok.json', jsonReporter.render(sampleResults()));
    const r = loadResults(p);
    expect(r.id).toBe('diag-7f3a');
    expect(compareResults(r, sampleResults()).passed).toBe(true);
  });

  it('rejects malformed files with a ConfigError naming the file and the problem', async () => {
    const cases: [string, string, RegExp][] = [
      ['not-json.json', '{"schema": ', /not valid JSON/],
      ['wrong-schema.json', JSON.stringify({ ...sampleResults(), schema: 'fanin.results/v0' }), /schema: must be "fanin\.results\/v1"/],
      ['bad-metric.json', JSON.stringify({ ...sampleResults(), metrics: { 'e2e.p95': 'fast' } }), /metrics\.e2e\.p95: Expected number, received string/],
      ['no-checkers.json', JSON.stringify({ ...sampleResults(), checkers: undefined }), /checkers: Required/],
      ['bad-runs.json', JSON.stringify({ ...sampleResults(), runs: {} }), /runs: Expected array/],
      ['array.json', '[]', /\(root\): Expected object/],
    ];
    for (const [name, text, problem] of cases) {
      const p = await file(name, text);
      let err: unknown;
      try {
        loadResults(p);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(ConfigError);
      expect((err as Error).message, name).toContain(p);
      expect((err as Error).message, name).toMatch(problem);
    }
  });

  it('rejects a missing file with a ConfigError', () => {
    expect(() => loadResults(path.join(dir, 'nope.json'))).toThrow(/cannot read results file .*nope\.json/);
  });
});
