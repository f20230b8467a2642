/**
 * A regression comparison only makes sense between runs of the same scenario, variant,
 * transport and pipeline: `--baseline` and `fanin compare` refuse others unless --force.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertComparable, comparabilityProblems } from '../../../harness/regression/compare.js';
import type { DiagnoseResults } from '../../../harness/results/types.js';
import { sampleResults } from '../fixtures/sample-results.js';
import { fanin } from '../cli-helpers.js';

const sample = sampleResults();
const base: DiagnoseResults = { ...sample, config: { ...sample.config, scenario: 'happy-path', variant: null, transport: 'streams', pipeline: 'constitutional_analysis' } };
const other = (config: Partial<DiagnoseResults['config']>): DiagnoseResults => ({ ...base, config: { ...base.config, ...config } });

describe('comparability', () => {
  it.each([
    ['scenario', { scenario: 'worker-kill' }, 'scenario: baseline happy-path, current worker-kill'],
    ['variant', { variant: 'no-fan-in' }, 'variant: baseline (none), current no-fan-in'],
    ['transport', { transport: 'lists' as const }, 'transport: baseline streams, current lists'],
    ['pipeline', { pipeline: 'other_pipeline' }, 'pipeline: baseline constitutional_analysis, current other_pipeline'],
  ])('a different %s is refused with the reason, unless forced', (_what, config, reason) => {
    const current = other(config);
    expect(comparabilityProblems(base, current)).toEqual([reason]);
    let err: unknown;
    try {
      assertComparable(base, current, { baselineName: 'base.json' });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_CONFIG' });
    expect((err as Error).message).toContain(reason);
    expect((err as Error).message).toContain('--force');
    expect(() => assertComparable(base, current, { force: true })).not.toThrow();
  });

  it('the same setup (other runs, seed, latency) compares', () => {
    expect(comparabilityProblems(base, other({ runs: 50, seed: 7 }))).toEqual([]);
  });
});

describe('fanin compare refuses runs of different setups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fanin-comparable-'));
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, JSON.stringify(base));
  writeFileSync(b, JSON.stringify(other({ scenario: 'worker-kill', transport: 'lists' })));

  it('exit 2 with the reasons; --force compares anyway', async () => {
    const r = await fanin(['compare', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenario: baseline happy-path, current worker-kill');
    expect(r.stderr).toContain('transport: baseline streams, current lists');
    const forced = await fanin(['compare', a, b, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Regression check');
  });

  it('diagnose --baseline of another scenario → exit 2 before any run', async () => {
    const r = await fanin(['diagnose', '--runs', '1', '--transport', 'lists', '--baseline', a, '--report-dir', join(dir, 'reports')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('transport: baseline streams, current lists');
    expect(r.stderr).not.toContain('progress:');
  });
});
