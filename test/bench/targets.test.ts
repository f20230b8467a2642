/**
 * `npm run bench` prints today's targets (issue 16): one line per target, the figure of the run
 * and the target beside it, then how many were met. Pure: measurements made up here.
 */
import { describe, expect, it } from 'vitest';
import type { CompareResults, DesignName, Measurement } from '../../bench/compare.js';
import { compareMarkdown } from '../../bench/compare-report.js';
import { benchTargets, formatTargets } from '../../bench/targets.js';

function m(design: DesignName, experimentsPerSec: number, p99Ms: number, fanOut = 4, extra: Partial<Measurement> = {}): Measurement {
  return {
    design, concurrency: 16, fanOut, experiments: 100, seconds: 1, experimentsPerSec, p50Ms: p99Ms / 2, p99Ms, maxMs: p99Ms,
    redisCommandsPerExperiment: 100, nodeCpuMsPerExperiment: 1, redisCpuMsPerExperiment: 0.5, failed: 0, ...extra,
  };
}

const run: Pick<CompareResults, 'main' | 'scaling'> = {
  main: [
    m('fanin-streams', 1000, 20, 4, { redisCommandsPerExperiment: 85.04, nodeCpuMsPerExperiment: 0.75 }),
    m('fanin-lists', 700, 30),
    m('bullmq', 400, 60),
    m('polling', 60, 260),
    m('bare', 2500, 10),
  ],
  scaling: { concurrency: [], fanOut: [m('fanin-streams', 150, 200, 64), m('bullmq', 100, 230, 64)] },
};

describe('bench targets', () => {
  it('prints each target as "<name>: <figure> (target <op> <bound>)" with the figures of the run', () => {
    expect(formatTargets(benchTargets(run))).toEqual([
      'throughput streams/BullMQ: 2.50× (target ≥ 2.5×)',
      'p99 streams/BullMQ: 0.33× (target ≤ 0.5×)',
      'throughput lists/streams: 0.70× (target ≥ 0.8×)',
      'throughput streams/bare: 0.40× (target ≥ 0.5×)',
      'Redis commands/exp streams: 85 (target ≤ 90)',
      'Node CPU/exp streams: 0.750 ms (target ≤ 0.6 ms)',
      'throughput at fan-out 64 streams/BullMQ: 1.50× (target ≥ 2×)',
      'targets met: 3 of 7',
    ]);
  });

  it('says n/a for a target whose designs did not run, and counts it as not measured', () => {
    const lines = formatTargets(benchTargets({ main: run.main, scaling: { concurrency: [], fanOut: [] } }));
    expect(lines).toContain('throughput at fan-out 64 streams/BullMQ: n/a (target ≥ 2×)');
    expect(lines.at(-1)).toBe('targets met: 3 of 6 (1 not measured in this run)');
  });

  it('the comparison report carries today\'s targets and none of the old ones', () => {
    const md = compareMarkdown({ ...run, repetitions: 1, node: 'v20', redis: '7.0', redisBenchmark: { skipped: 'not run' }, processes: [] } as unknown as CompareResults);
    for (const line of formatTargets(benchTargets(run))) expect(md.split('\n')).toContain(line);
    expect(md).not.toMatch(/target ≥ 5×|target ≥ 25×|target ≥ 0\.7×/);
    expect(md).toMatch(/^throughput streams\/polling: \d+\.\d\d× \(no target\)$/m);
  });
});
